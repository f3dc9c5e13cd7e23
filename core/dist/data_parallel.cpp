#include "core/dist/data_parallel.h"

#include "core/base/crc32.h"
#include "core/dist/process_group.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace msup {

namespace {

    // Control values of a step, float64, in this order; the BatchNorm statistics follow.
    enum Control { SegSum, ContextSum, TasksimSum, Labelled, Images, NonFinite, Stop, Pause, ControlCount };

    // Gradients go over the wire in buckets of at most this many bytes (as DDP's 25 MB default).
    constexpr std::int64_t kBucketBytes = 25LL << 20;

    bool isFloating(const torch::Tensor& t)
    {
        return t.is_floating_point();
    }

} // namespace

Shard shardOf(int from, int count, int rank, int world)
{
    // Rank r starts at ceil(r·count / world): lower ranks take the remainder.
    auto start = [&](int r) { return int((std::int64_t(r) * count + world - 1) / world); };
    return { from + start(rank), start(rank + 1) - start(rank) };
}

DataParallel::DataParallel(dist::Group& group, nn::SegmentationModelImpl& model, const torch::Device& device,
    const nn::LossWeights& weights, bool averageBatchNorm)
    : m_group(group)
    , m_model(model)
    , m_device(device)
    , m_comm(group.backendName() == "nccl" ? device : torch::Device(torch::kCPU))
    , m_weights(weights)
    , m_averageBatchNorm(averageBatchNorm)
{
}

template <typename Run> void DataParallel::timed(Run run)
{
    const auto t0 = std::chrono::steady_clock::now();
    run();
    m_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int DataParallel::rank() const
{
    return m_group.rank();
}
int DataParallel::size() const
{
    return m_group.size();
}

torch::Tensor DataParallel::toComm(const torch::Tensor& t) const
{
    return t.to(m_comm);
}

void DataParallel::beginStep(int unionImages, bool stop, bool pause)
{
    m_unionImages = unionImages;
    m_stopLocal = stop;
    m_pauseLocal = pause;
}

bool DataParallel::combine(
    const nn::StepResult& local, double labelled, int images, nn::StepResult* u, nn::StepShares* shares)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> floats, ints;
    if (m_averageBatchNorm)
        for (const torch::Tensor& b : m_model.buffers())
            (isFloating(b) ? floats : ints).push_back(b);
    std::int64_t extra = 0;
    for (const torch::Tensor& b : floats)
        extra += b.numel();
    for (const torch::Tensor& b : ints)
        extra += b.numel();
    auto control = torch::zeros({ ControlCount + extra }, torch::kFloat64);
    auto c = control.accessor<double, 1>();
    const bool finite = images == 0 || local.finite;
    if (finite && images > 0) {
        c[SegSum] = local.seg * labelled;
        c[ContextSum] = local.context * labelled;
        c[TasksimSum] = local.tasksim * images;
    }
    c[Labelled] = labelled;
    c[Images] = images;
    c[NonFinite] = finite ? 0 : 1;
    c[Stop] = m_stopLocal ? 1 : 0;
    c[Pause] = m_pauseLocal ? 1 : 0;
    // BatchNorm running statistics: the mean of the processes' weighted by their images (exact
    // for the running means: each is a linear update with the batch mean); integer counters are
    // rank 0's (it always has images).
    std::int64_t at = ControlCount;
    const double weight = m_unionImages > 0 ? double(images) / m_unionImages : 0.0;
    for (const torch::Tensor& b : floats) {
        control.narrow(0, at, b.numel())
            .copy_(b.detach().reshape({ -1 }).to(torch::kCPU, torch::kFloat64) * weight);
        at += b.numel();
    }
    for (const torch::Tensor& b : ints) {
        if (rank() == 0)
            control.narrow(0, at, b.numel())
                .copy_(b.detach().reshape({ -1 }).to(torch::kCPU, torch::kFloat64));
        at += b.numel();
    }
    std::vector<torch::Tensor> t { toComm(control) };
    timed([&] { m_group.allreduceSum(t); });
    control = t[0].to(torch::kCPU);
    c = control.accessor<double, 1>();
    m_stop = c[Stop] > 0;
    m_pause = c[Pause] > 0;
    if (c[NonFinite] > 0) {
        m_buffers = torch::Tensor();
        return false;
    }
    const double unionLabelled = c[Labelled];
    const double unionImages = std::max(1.0, c[Images]);
    u->seg = c[SegSum] / std::max(1.0, unionLabelled);
    u->context = c[ContextSum] / std::max(1.0, unionLabelled);
    u->tasksim = c[TasksimSum] / unionImages;
    u->total = m_weights.seg * u->seg + m_weights.context * u->context + m_weights.tasksim * u->tasksim;
    u->finite = std::isfinite(u->total);
    u->labelled = unionLabelled;
    shares->labelled = labelled / std::max(1.0, unionLabelled);
    shares->images = images / unionImages;
    m_buffers = extra > 0 ? control.narrow(0, ControlCount, extra).clone() : torch::Tensor();
    return true;
}

void DataParallel::reduce(nn::SegmentationModelImpl& model)
{
    torch::NoGradGuard noGrad;
    // Gradients, summed in buckets (each process's were already weighted by its share).
    std::vector<torch::Tensor> bucket;
    std::int64_t bytes = 0;
    auto flush = [&] {
        if (bucket.empty())
            return;
        std::vector<torch::Tensor> comm;
        for (const torch::Tensor& g : bucket)
            comm.push_back(toComm(g));
        timed([&] { m_group.allreduceSum(comm); });
        for (std::size_t i = 0; i < bucket.size(); ++i)
            if (!comm[i].is_same(bucket[i]))
                bucket[i].copy_(comm[i]);
        bucket.clear();
        bytes = 0;
    };
    for (torch::Tensor p : model.parameters()) {
        if (!p.grad().defined())
            p.mutable_grad() = torch::zeros_like(p);
        bucket.push_back(p.grad());
        bytes += p.grad().numel() * std::int64_t(p.grad().element_size());
        if (bytes >= kBucketBytes)
            flush();
    }
    flush();
    // The averaged BatchNorm statistics (kept from combine(): the backward pass reads the buffers).
    if (!m_buffers.defined())
        return;
    std::int64_t at = 0;
    std::vector<torch::Tensor> floats, ints;
    for (const torch::Tensor& b : model.buffers())
        (isFloating(b) ? floats : ints).push_back(b);
    for (auto* list : { &floats, &ints })
        for (torch::Tensor& b : *list) {
            b.copy_(m_buffers.narrow(0, at, b.numel()).view(b.sizes()).to(b.device(), b.scalar_type()));
            at += b.numel();
        }
    m_buffers = torch::Tensor();
}

void DataParallel::exchangeFlags(bool stop, bool pause)
{
    std::vector<torch::Tensor> t { toComm(
        torch::tensor({ stop ? 1.0 : 0.0, pause ? 1.0 : 0.0 }, torch::kFloat64)) };
    timed([&] { m_group.allreduceSum(t); });
    const torch::Tensor f = t[0].to(torch::kCPU);
    m_stop = f[0].item<double>() > 0;
    m_pause = f[1].item<double>() > 0;
}

void DataParallel::broadcastModel()
{
    torch::NoGradGuard noGrad;
    // One broadcast per element type (parameters and statistics are float, counters int64).
    std::vector<torch::Tensor> all;
    for (const torch::Tensor& p : m_model.parameters())
        all.push_back(p);
    for (const torch::Tensor& b : m_model.buffers())
        all.push_back(b);
    std::vector<torch::ScalarType> types;
    for (const torch::Tensor& t : all)
        if (std::find(types.begin(), types.end(), t.scalar_type()) == types.end())
            types.push_back(t.scalar_type());
    for (torch::ScalarType type : types) {
        std::vector<torch::Tensor> mine, comm;
        for (const torch::Tensor& t : all)
            if (t.scalar_type() == type) {
                mine.push_back(t);
                comm.push_back(toComm(t).contiguous());
            }
        m_group.broadcast(comm, 0);
        for (std::size_t i = 0; i < mine.size(); ++i)
            if (!comm[i].is_same(mine[i]))
                mine[i].copy_(comm[i]);
    }
}

std::vector<std::uint32_t> DataParallel::weightDigests()
{
    torch::NoGradGuard noGrad;
    std::uint32_t crc = 0;
    auto add = [&crc](const torch::Tensor& t) {
        const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
        const std::uint32_t part = crc32(c.data_ptr(), std::size_t(c.numel()) * c.element_size());
        crc = crc * 31u + part;
    };
    for (const torch::Tensor& p : m_model.parameters())
        add(p);
    for (const torch::Tensor& b : m_model.buffers())
        add(b);
    std::vector<std::uint32_t> out;
    for (std::int64_t v : gather(crc))
        out.push_back(std::uint32_t(v));
    return out;
}

std::vector<std::int64_t> gatherFromRanks(dist::Group& group, std::int64_t mine, const torch::Device& device)
{
    auto slots = torch::zeros({ group.size() }, torch::kInt64);
    slots[group.rank()] = mine;
    std::vector<torch::Tensor> t { slots.to(
        group.backendName() == "nccl" ? device : torch::Device(torch::kCPU)) };
    group.allreduceSum(t);
    const torch::Tensor all = t[0].to(torch::kCPU);
    return std::vector<std::int64_t>(
        all.data_ptr<std::int64_t>(), all.data_ptr<std::int64_t>() + group.size());
}

std::vector<std::int64_t> DataParallel::gather(std::int64_t mine)
{
    return gatherFromRanks(m_group, mine, m_device);
}

torch::Tensor DataParallel::gatherRows(const torch::Tensor& mine, int from, int total)
{
    std::vector<std::int64_t> shape(mine.sizes().begin(), mine.sizes().end());
    shape[0] = total;
    auto full = torch::zeros(shape, torch::kInt64);
    if (mine.size(0) > 0)
        full.narrow(0, from, mine.size(0)).copy_(mine);
    std::vector<torch::Tensor> t { toComm(full) };
    timed([&] { m_group.allreduceSum(t); });
    return t[0].to(torch::kCPU);
}

} // namespace msup
