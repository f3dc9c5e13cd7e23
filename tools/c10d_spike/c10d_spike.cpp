// Feasibility spike for issue 17: PyTorch's c10d (TCPStore + ProcessGroupGloo) driven from C++
// against the system LibTorch. Not part of the MaskSup build; see README.md next to this file.
//
//   c10d_spike launch [--world N] [--grad] [--kill-rank R --kill-after-ms MS] [--stop-rank R
//                     --stop-after-ms MS] [--timeout-ms T] [--gloo-threads K]
//       hosts the TCPStore on 127.0.0.1 with a port picked by the kernel (port 0), then forks and
//       execs N workers and reports how each ended; --kill-rank sends SIGKILL to one worker, and
//       --stop-rank SIGSTOP (a hung rank) while the workers loop on 30 MB allreduces.
//   c10d_spike worker RANK WORLD PORT [--serve-store] [--loop] [--grad] [--timeout-ms T]
//                     [--store-timeout-ms S] [--gloo-threads K]
//       one rank; --serve-store makes this rank host the TCPStore on PORT (two shells by hand).
//   --grad: instead of the collective checks, compare data-parallel gradients with one process.

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>
#include <torch/version.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace {

long long epochMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Args {
    std::string mode;
    int rank = 0;
    int world = 2;
    int port = 0;
    bool serveStore = false;
    bool loop = false;
    bool grad = false;
    int timeoutMs = 10000;
    int storeTimeoutMs = -1; // -1: same as timeoutMs
    int glooThreads = 2;
    int killRank = -1;
    int killAfterMs = 0;
    int stopRank = -1;
    int stopAfterMs = 0;
};

[[noreturn]] void usage()
{
    std::fprintf(stderr,
        "usage: c10d_spike launch [--world N] [--grad] [--kill-rank R --kill-after-ms MS] "
        "[--stop-rank R --stop-after-ms MS] [--timeout-ms T] [--gloo-threads K]\n"
        "       c10d_spike worker RANK WORLD PORT [--serve-store] [--loop] [--grad] "
        "[--timeout-ms T] [--store-timeout-ms S] [--gloo-threads K]\n");
    std::exit(2);
}

Args parse(int argc, char** argv)
{
    if (argc < 2)
        usage();
    Args a;
    a.mode = argv[1];
    int i = 2;
    if (a.mode == "worker") {
        if (argc < 5)
            usage();
        a.rank = std::atoi(argv[2]);
        a.world = std::atoi(argv[3]);
        a.port = std::atoi(argv[4]);
        i = 5;
    } else if (a.mode != "launch") {
        usage();
    }
    for (; i < argc; ++i) {
        const std::string k = argv[i];
        auto next = [&]() {
            if (i + 1 >= argc)
                usage();
            return std::atoi(argv[++i]);
        };
        if (k == "--serve-store")
            a.serveStore = true;
        else if (k == "--loop")
            a.loop = true;
        else if (k == "--grad")
            a.grad = true;
        else if (k == "--world")
            a.world = next();
        else if (k == "--timeout-ms")
            a.timeoutMs = next();
        else if (k == "--store-timeout-ms")
            a.storeTimeoutMs = next();
        else if (k == "--gloo-threads")
            a.glooThreads = next();
        else if (k == "--kill-rank")
            a.killRank = next();
        else if (k == "--kill-after-ms")
            a.killAfterMs = next();
        else if (k == "--stop-rank")
            a.stopRank = next();
        else if (k == "--stop-after-ms")
            a.stopAfterMs = next();
        else
            usage();
    }
    return a;
}

// LibTorch >= 2.4 defaults TCPStoreOptions::useLibUV to true, but Debian 13's 2.6 is built
// without libuv: its TCPStore then throws "use_libuv was requested but PyTorch was build without
// libuv support". 1.13 has no such field.
void disableLibUv([[maybe_unused]] c10d::TCPStoreOptions& so)
{
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 2)
    so.useLibUV = false;
#endif
}

// Mean milliseconds of one allreduce (sum) of `floats` floats, after two warm-up rounds.
double timeAllreduce(c10d::ProcessGroupGloo& pg, int64_t floats, int iterations)
{
    std::vector<at::Tensor> t { torch::ones({ floats }) };
    for (int w = 0; w < 2; ++w)
        pg.allreduce(t)->wait();
    pg.barrier()->wait();
    const auto start = std::chrono::steady_clock::now();
    for (int it = 0; it < iterations; ++it)
        pg.allreduce(t)->wait();
    const auto end = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(end - start).count() / iterations;
}

// Data-parallel gradient check without c10d::Reducer (Debian 12's reducer.hpp cannot be included:
// it needs torch/csrc/distributed/autograd/context/context.h, which libtorch-dev does not ship).
// Each rank takes its half of a fixed batch; gradients of the shard's mean loss, summed with
// allreduce and divided by the world size, must equal the full batch's gradients computed in one
// process. Two ways: allreduce after backward, and allreduce launched from per-parameter
// gradient hooks while backward still runs (overlap), waited before the comparison.
int gradProbe(c10d::ProcessGroupGloo& pg, int rank, int world)
{
    torch::manual_seed(7); // same initial weights on every rank (DDP broadcasts them instead)
    torch::nn::Sequential model(torch::nn::Linear(512, 1024), torch::nn::ReLU(),
        torch::nn::Linear(1024, 1024), torch::nn::ReLU(), torch::nn::Linear(1024, 10));
    auto params = model->parameters();
    int64_t bytes = 0;
    for (const auto& p : params)
        bytes += p.numel() * 4;
    const int64_t batch = 64;
    auto x = torch::randn({ batch, 512 });
    auto y = torch::randint(0, 10, { batch });
    auto lossOf = [&](const at::Tensor& xs, const at::Tensor& ys) {
        return torch::nn::functional::cross_entropy(model->forward(xs), ys);
    };

    // Reference: one process over the whole batch.
    model->zero_grad();
    lossOf(x, y).backward();
    std::vector<at::Tensor> reference;
    for (const auto& p : params)
        reference.push_back(p.grad().clone());

    const int64_t shard = batch / world;
    auto xs = x.narrow(0, rank * shard, shard);
    auto ys = y.narrow(0, rank * shard, shard);
    auto compare = [&](const char* how, double ms) {
        double worst = 0.0;
        for (size_t i = 0; i < params.size(); ++i) {
            const double diff = (params[i].grad() - reference[i]).abs().max().item<double>();
            const double scale = reference[i].abs().max().item<double>();
            worst = std::max(worst, diff / std::max(scale, 1e-30));
        }
        // Every rank must hold the same gradients: compare a digest with rank 0's.
        std::vector<at::Tensor> digest { torch::zeros({ 1 }, torch::kDouble) };
        for (const auto& p : params)
            digest[0] += p.grad().to(torch::kDouble).sum();
        std::vector<at::Tensor> mine { digest[0].clone() };
        c10d::BroadcastOptions bo;
        bo.rootRank = 0;
        pg.broadcast(digest, bo)->wait();
        std::printf("[rank %d] %s: %.1f ms per step, max relative difference to the 1-process "
                    "gradients %.2e, digest %s rank 0's\n",
            rank, how, ms, worst, digest[0].equal(mine[0]) ? "equals" : "DIFFERS from");
        return worst;
    };

    // (a) Backward on the shard, then one allreduce_coalesced of all gradients.
    double msA = 0.0;
    for (int it = 0; it < 6; ++it) {
        model->zero_grad();
        const auto t0 = std::chrono::steady_clock::now();
        lossOf(xs, ys).backward();
        std::vector<at::Tensor> grads;
        for (const auto& p : params)
            grads.push_back(p.grad());
        pg.allreduce_coalesced(grads)->wait();
        for (auto& g : grads)
            g.div_(world);
        if (it > 0)
            msA += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    const double worstA = compare("allreduce after backward", msA / 5);

    // (b) Allreduce launched from gradient hooks during backward. Hooks run in the autograd
    //     engine's order, which is the same on every rank for the same graph, so the collectives
    //     match up across ranks.
    std::vector<at::Tensor> reduced(params.size());
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    std::vector<unsigned> hookIds;
    for (size_t i = 0; i < params.size(); ++i) {
        // A hook returning void leaves the gradient that accumulates into .grad unchanged.
        hookIds.push_back(params[i].register_hook([&, i](const at::Tensor& g) {
            reduced[i] = g.div(world);
            std::vector<at::Tensor> one { reduced[i] };
            works.push_back(pg.allreduce(one));
        }));
    }
    double msB = 0.0;
    for (int it = 0; it < 6; ++it) {
        model->zero_grad();
        works.clear();
        const auto t0 = std::chrono::steady_clock::now();
        lossOf(xs, ys).backward();
        for (auto& w : works)
            w->wait();
        for (size_t i = 0; i < params.size(); ++i)
            params[i].mutable_grad().copy_(reduced[i]);
        if (it > 0)
            msB += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    for (size_t i = 0; i < params.size(); ++i)
        params[i].remove_hook(hookIds[i]);
    const double worstB = compare("allreduce from hooks during backward", msB / 5);

    const auto t0 = std::chrono::steady_clock::now();
    for (int it = 0; it < 5; ++it) {
        model->zero_grad();
        lossOf(xs, ys).backward();
    }
    std::printf("[rank %d] model %.1f MB of parameters; forward + backward alone on the shard: %.1f ms\n",
        rank, bytes / 1048576.0,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 5);
    return (worstA < 1e-6 && worstB < 1e-6) ? 0 : 1;
}

int runWorker(const Args& a)
{
    const auto t0 = std::chrono::steady_clock::now();
    // 1. Rendezvous store. Rank-0-hosted (two shells) or launcher-hosted (client only).
    c10d::TCPStoreOptions so;
    so.port = static_cast<std::uint16_t>(a.port);
    so.isServer = a.serveStore;
    so.numWorkers = a.serveStore ? c10::optional<std::size_t>(a.world) : c10::nullopt;
    so.waitWorkers = false;
    so.timeout = std::chrono::milliseconds(a.storeTimeoutMs >= 0 ? a.storeTimeoutMs : a.timeoutMs);
    disableLibUv(so);
    auto tcp = c10::make_intrusive<c10d::TCPStore>("127.0.0.1", so);
    // What torch.distributed.init_process_group does: a prefix per group, so a second group
    // (or a restarted one) on the same store does not collide with the first one's keys.
    auto store = c10::make_intrusive<c10d::PrefixStore>("default_pg", tcp);

    // 2. Gloo process group over a TCP device bound to the loopback address.
    auto opts = c10d::ProcessGroupGloo::Options::create(std::chrono::milliseconds(a.timeoutMs));
    opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    opts->threads = a.glooThreads;
    c10d::ProcessGroupGloo pg(store, a.rank, a.world, opts);
    const double setupMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[rank %d] group ready: size %d, backend %s, store port %u, setup %.0f ms, "
                "torch threads %d, gloo threads %d, timeout %d ms\n",
        a.rank, pg.getSize(), pg.getBackendName().c_str(), tcp->getPort(), setupMs, torch::get_num_threads(),
        opts->threads, a.timeoutMs);

    if (a.grad)
        return gradProbe(pg, a.rank, a.world);

    // 3. Allreduce (sum): rank r contributes r + 1 everywhere.
    std::vector<at::Tensor> sum { torch::full({ 1000 }, static_cast<float>(a.rank + 1)) };
    pg.allreduce(sum)->wait();
    const float expectSum = static_cast<float>(a.world * (a.world + 1) / 2);
    const bool sumOk = sum[0].eq(expectSum).all().item<bool>();
    std::printf("[rank %d] allreduce sum: %.1f (expected %.1f) %s\n", a.rank, sum[0][0].item<float>(),
        expectSum, sumOk ? "OK" : "WRONG");

    // 4. Broadcast from rank 0: rank 0 holds 0..9, the others zeros.
    std::vector<at::Tensor> bc { a.rank == 0 ? torch::arange(10, torch::kFloat) : torch::zeros({ 10 }) };
    c10d::BroadcastOptions bo;
    bo.rootRank = 0;
    pg.broadcast(bc, bo)->wait();
    const bool bcOk = bc[0].equal(torch::arange(10, torch::kFloat));
    std::printf("[rank %d] broadcast from 0: last element %.1f %s\n", a.rank, bc[0][9].item<float>(),
        bcOk ? "OK" : "WRONG");

    // 5. Barrier.
    pg.barrier()->wait();
    std::printf("[rank %d] barrier passed\n", a.rank);

    // 6. What gradient averaging needs: ReduceOp::AVG (Gloo in 1.13 refuses it, so DDP divides
    //    by the world size itself), allreduce_coalesced (one call for a bucket of tensors) and
    //    whether allreduce returns before the reduction is done (overlap with backward).
    try {
        std::vector<at::Tensor> avg { torch::full({ 4 }, static_cast<float>(a.rank + 1)) };
        c10d::AllreduceOptions ao;
        ao.reduceOp = c10d::ReduceOp::AVG;
        pg.allreduce(avg, ao)->wait();
        std::printf("[rank %d] ReduceOp::AVG: %.2f\n", a.rank, avg[0][0].item<float>());
    } catch (const std::exception& e) {
        std::printf("[rank %d] ReduceOp::AVG refused: %s\n", a.rank,
            std::string(e.what()).substr(0, std::string(e.what()).find('\n')).c_str());
    }
    std::vector<at::Tensor> bucket { torch::full({ 3 }, 1.0f), torch::full({ 5 }, 2.0f),
        torch::full({ 7 }, 3.0f) };
    pg.allreduce_coalesced(bucket)->wait();
    std::printf("[rank %d] allreduce_coalesced of 3 tensors: %.0f %.0f %.0f\n", a.rank,
        bucket[0][0].item<float>(), bucket[1][0].item<float>(), bucket[2][0].item<float>());
    {
        std::vector<at::Tensor> big { torch::ones({ 30 * (1 << 20) / 4 }) };
        const auto s0 = std::chrono::steady_clock::now();
        auto work = pg.allreduce(big);
        const auto s1 = std::chrono::steady_clock::now();
        const bool doneAtReturn = work->isCompleted();
        work->wait();
        const auto s2 = std::chrono::steady_clock::now();
        std::printf("[rank %d] async 30 MB allreduce: call returned after %.2f ms (completed: %s), "
                    "wait() after %.1f ms more\n",
            a.rank, std::chrono::duration<double, std::milli>(s1 - s0).count(), doneAtReturn ? "yes" : "no",
            std::chrono::duration<double, std::milli>(s2 - s1).count());
    }

    // 7. Timings.
    const int64_t oneMb = (1 << 20) / 4;
    const int64_t thirtyMb = 30 * oneMb;
    const double ms1 = timeAllreduce(pg, oneMb, 50);
    const double ms30 = timeAllreduce(pg, thirtyMb, 10);
    std::printf("[rank %d] allreduce 1 MB: %.2f ms (%.0f MB/s), 30 MB: %.1f ms (%.0f MB/s)\n", a.rank, ms1,
        1.0 / ms1 * 1000.0, ms30, 30.0 / ms30 * 1000.0);
    std::fflush(stdout);

    // 8. Optional endless 30 MB allreduce loop, for the kill / stop experiments.
    if (a.loop) {
        std::vector<at::Tensor> t { torch::ones({ thirtyMb }) };
        std::printf("[rank %d] looping on 30 MB allreduces at %lld\n", a.rank, epochMs());
        std::fflush(stdout);
        long iterations = 0;
        try {
            for (;;) {
                pg.allreduce(t)->wait();
                t[0].fill_(1.0f);
                ++iterations;
            }
        } catch (const std::exception& e) {
            std::printf("[rank %d] allreduce failed at %lld after %ld iterations: %s\n", a.rank, epochMs(),
                iterations, e.what());
            std::fflush(stdout);
            return 3;
        }
    }
    return (sumOk && bcOk) ? 0 : 1;
}

int runLauncher(const Args& a, const char* self)
{
    // The launcher hosts the store; port 0 lets the kernel pick a free port (no race with a
    // probe-then-bind), getPort() reports it, and the workers only connect as clients.
    c10d::TCPStoreOptions so;
    so.port = 0;
    so.isServer = true;
    so.waitWorkers = false;
    disableLibUv(so);
    auto store = c10::make_intrusive<c10d::TCPStore>("127.0.0.1", so);
    const std::string port = std::to_string(store->getPort());
    std::printf("[launch] TCPStore on 127.0.0.1:%s, world %d\n", port.c_str(), a.world);
    std::fflush(stdout);

    const bool loop = a.killRank >= 0 || a.stopRank >= 0;
    std::vector<pid_t> pids;
    for (int r = 0; r < a.world; ++r) {
        const pid_t pid = fork();
        if (pid == 0) {
            const std::string rank = std::to_string(r), world = std::to_string(a.world),
                              timeout = std::to_string(a.timeoutMs), threads = std::to_string(a.glooThreads);
            std::vector<const char*> argv { self, "worker", rank.c_str(), world.c_str(), port.c_str(),
                "--timeout-ms", timeout.c_str(), "--gloo-threads", threads.c_str() };
            if (loop)
                argv.push_back("--loop");
            if (a.grad)
                argv.push_back("--grad");
            argv.push_back(nullptr);
            execv(self, const_cast<char* const*>(argv.data()));
            std::perror("execv");
            _exit(127);
        }
        pids.push_back(pid);
    }

    const int victim = a.killRank >= 0 ? a.killRank : a.stopRank;
    if (victim >= 0 && victim < a.world) {
        usleep(static_cast<useconds_t>(a.killAfterMs > 0 ? a.killAfterMs : a.stopAfterMs) * 1000);
        const int sig = a.killRank >= 0 ? SIGKILL : SIGSTOP;
        kill(pids[victim], sig);
        std::printf("[launch] sent %s to rank %d at %lld\n", sig == SIGKILL ? "SIGKILL" : "SIGSTOP", victim,
            epochMs());
        std::fflush(stdout);
    }

    int worst = 0;
    for (int r = 0; r < a.world; ++r) {
        if (a.stopRank == r)
            continue; // reaped below, after the others have ended
        int status = 0;
        waitpid(pids[r], &status, 0);
        if (WIFEXITED(status)) {
            std::printf("[launch] rank %d exited with %d at %lld\n", r, WEXITSTATUS(status), epochMs());
            worst = std::max(worst, WEXITSTATUS(status));
        } else if (WIFSIGNALED(status)) {
            std::printf("[launch] rank %d killed by signal %d\n", r, WTERMSIG(status));
            worst = std::max(worst, 128 + WTERMSIG(status));
        }
    }
    if (a.stopRank >= 0 && a.stopRank < a.world) {
        kill(pids[a.stopRank], SIGKILL);
        waitpid(pids[a.stopRank], nullptr, 0);
        std::printf("[launch] stopped rank %d killed after the others ended\n", a.stopRank);
    }
    return worst;
}

} // namespace

int main(int argc, char** argv)
{
    const Args a = parse(argc, argv);
    try {
        if (a.mode == "launch")
            return runLauncher(a, "/proc/self/exe");
        return runWorker(a);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "[%s %d] error at %lld: %s\n", a.mode.c_str(), a.rank, epochMs(), e.what());
        return 4;
    }
}
