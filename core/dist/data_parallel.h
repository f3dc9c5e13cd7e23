#pragma once
// Data-parallel training over a dist::Group (issue 17): the per-step agreement between processes
// (nn::StepSync: the union batch's loss, gradients summed with each process's share, BatchNorm
// statistics averaged, stop/pause requests), rank 0's weights to every process, weight digests,
// and the sums validation needs. README, "Several processes", explains the semantics.

#include "core/nn/masksup_loss.h"

#include <cstdint>
#include <vector>

namespace msup::dist {
class Group;
}

namespace msup {

// A process's part of `count` consecutive images starting at `from` of an epoch's order: contiguous,
// the parts differ by at most one image, lower ranks first (rank 0 never has an empty part).
struct Shard {
    int from = 0;
    int count = 0;
};
Shard shardOf(int from, int count, int rank, int world);

// One number from each process of `group`, in rank order (`device`: the model's; collectives run
// there with NCCL, on the CPU with Gloo).
std::vector<std::int64_t> gatherFromRanks(dist::Group& group, std::int64_t mine, const torch::Device& device);

class DataParallel : public nn::StepSync {
public:
    // `averageBatchNorm`: average the BatchNorm running statistics after each step (training with
    // batch statistics); with frozen BatchNorm they do not change and are left alone.
    DataParallel(dist::Group& group, nn::SegmentationModelImpl& model, const torch::Device& device,
        const nn::LossWeights& weights, bool averageBatchNorm);

    int rank() const;
    int size() const;

    // Before each step: the images of the union batch, and this process's stop and pause requests
    // (they travel with the step's first collective).
    void beginStep(int unionImages, bool stop, bool pause);
    bool combine(const nn::StepResult& local, double labelled, int images, nn::StepResult* unionResult,
        nn::StepShares* shares) override;
    void reduce(nn::SegmentationModelImpl& model) override;
    // Whether any process asked to stop / to pause, as of the last step or exchangeFlags().
    bool stopRequested() const { return m_stop; }
    bool pauseRequested() const { return m_pause; }
    // Outside a step: every process's requests, in one collective.
    void exchangeFlags(bool stop, bool pause);

    // Rank 0's parameters and buffers to every process (after building or loading the model).
    void broadcastModel();
    // CRC-32 of each process's parameters and buffers, in rank order.
    std::vector<std::uint32_t> weightDigests();
    // One number from each process, in rank order (a digest of what a process read, for checks).
    std::vector<std::int64_t> gather(std::int64_t mine);
    // Rows [from, from + mine.size(0)) of a `total`-row tensor from this process, the other rows
    // from the others (every process gets the whole tensor). int64, any trailing shape.
    torch::Tensor gatherRows(const torch::Tensor& mine, int from, int total);
    // Seconds spent in this object's collectives so far (waiting for the others included).
    double seconds() const { return m_seconds; }

private:
    torch::Tensor toComm(const torch::Tensor& t) const;
    dist::Group& m_group;
    nn::SegmentationModelImpl& m_model;
    torch::Device m_device;
    torch::Device m_comm; // where collectives run: the model's device for NCCL, else the CPU
    nn::LossWeights m_weights;
    bool m_averageBatchNorm;
    int m_unionImages = 0;
    bool m_stopLocal = false, m_pauseLocal = false;
    bool m_stop = false, m_pause = false;
    torch::Tensor m_buffers; // the averaged BatchNorm statistics of the current step, written by reduce()
    double m_seconds = 0;
    // Runs a collective through `run`, adding its time to m_seconds.
    template <typename Run> void timed(Run run);
};

} // namespace msup
