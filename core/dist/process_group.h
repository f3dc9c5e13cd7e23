#pragma once
// Data-parallel training across processes on PyTorch's c10d (issue 17): the rendezvous store, the
// process group (Gloo on CPU, NCCL on CUDA where LibTorch has it), local launching of worker
// processes, and messages that name the rank that failed. LibTorch only (no Qt), so it builds in
// the engine-only build too.
//
// Two ways in, as with torchrun:
//  - a local launch (masksup train --nproc N): rank 0 runs in the launching process, hosts the
//    store on 127.0.0.1 at a free port, publishes what the ranks need (Rendezvous::publish) and
//    starts ranks 1..N-1 as child processes with the torchrun variables and MASKSUP_DIST_LAUNCHED=1;
//  - the torchrun/Slurm environment (WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR, MASTER_PORT):
//    every process is started by someone else with the same command line; rank 0 hosts the store.

#include "core/base/error.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace msup::dist {

// Whether this build can train on several processes (it was built with c10d's Gloo headers,
// libgloo-dev on Debian), and if not, why and what to do.
bool available();
bool ncclAvailable();
std::string unavailableReason();

// A process's place in a group, from its environment.
struct Environment {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    int localWorldSize = 1;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 0;
    bool launched = false; // started by a local launcher (MASKSUP_DIST_LAUNCHED=1)
    // torchrun's agent already hosts a store on MASTER_PORT (TORCHELASTIC_USE_AGENT_STORE=True):
    // rank 0 connects to it instead of hosting one.
    bool agentStore = false;

    // The torchrun variables (WORLD_SIZE, RANK, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR,
    // MASTER_PORT), with Slurm's (SLURM_NTASKS, SLURM_PROCID, SLURM_LOCALID,
    // SLURM_NTASKS_PER_NODE) where torchrun's are missing. `present` says whether WORLD_SIZE (or
    // SLURM_NTASKS with MASTER_ADDR) is set at all. Throws msup::Error naming a malformed or
    // missing variable once the group variables are present.
    static Environment fromProcess(bool* present = nullptr);
};

// What a failed collective or rendezvous found: which rank is gone and why, as far as it can be known.
class PeerLost : public Error {
public:
    PeerLost(const std::string& message, int rank)
        : Error(message)
        , m_rank(rank)
    {
    }
    int rank() const { return m_rank; } // -1 when no single rank can be named

private:
    int m_rank;
};

// The rendezvous: the c10d TCPStore the ranks meet through, and (for a local launch) the child
// processes of ranks 1..N-1.
class Rendezvous {
public:
    struct Worker {
        std::string program; // absolute path of the executable (the masksup command-line tool)
        std::vector<std::string> args; // after argv[0]
    };

    // Rank 0 of a local launch: hosts the store on 127.0.0.1 at a port the kernel picks.
    static std::shared_ptr<Rendezvous> host(int worldSize, std::chrono::milliseconds timeout);
    // A rank of a group described by `env` (rank 0 hosts the store on MASTER_PORT, the others
    // connect to MASTER_ADDR:MASTER_PORT, waiting up to `timeout` for it).
    static std::shared_ptr<Rendezvous> connect(const Environment& env, std::chrono::milliseconds timeout);
    ~Rendezvous();
    Rendezvous(const Rendezvous&) = delete;
    Rendezvous& operator=(const Rendezvous&) = delete;

    const Environment& environment() const;
    int port() const;
    std::chrono::milliseconds timeout() const;
    // The timeout of store operations and of the group made after this call.
    void setTimeout(std::chrono::milliseconds timeout);

    // Key/value exchange through the store. get() waits for the key up to the timeout.
    void publish(const std::string& key, const std::string& value);
    std::string get(const std::string& key);
    // Starts ranks 1..N-1 (host() only) with the torchrun variables, `threads` as OMP_NUM_THREADS,
    // MASKSUP_DIST_LAUNCHED=1, and stdout to /dev/null (their errors go to stderr, prefixed). They are
    // killed if this process dies (PR_SET_PDEATHSIG). Returns their pids, rank 1 first.
    std::vector<long> startWorkers(const Worker& worker, int threads);
    // This rank failed with `message`: the others read it when they find it gone (best effort).
    void reportFailure(int rank, const std::string& message) noexcept;
    // Why `rank` is gone, from what the launcher saw of its process and what it left in the store
    // (empty when nothing is known). Waits up to `waitMs` for a child's exit status.
    std::string explainRank(int rank, int waitMs);
    // The ranks that have not said they are still alive within `waitMs` after this rank said so
    // (used after a failed collective to name the one that is gone).
    std::vector<int> silentRanks(int self, int waitMs);
    // Waits until every rank has connected (keys "joined/R"), watching the local children: one
    // that exits first ends the wait with a PeerLost naming it. Called by rank 0 of a local launch.
    void waitForWorkers(std::chrono::milliseconds timeout);
    void markJoined(int rank);
    // Waits for the children (up to `waitMs`, then SIGTERM, then SIGKILL) and returns how each
    // ended (rank, description), for the ones that did not exit with 0.
    std::vector<std::pair<int, std::string>> reapWorkers(int waitMs);

    struct Impl;

private:
    explicit Rendezvous(std::unique_ptr<Impl> impl);
    // The rendezvous of an Impl whose store is open.
    static std::shared_ptr<Rendezvous> open(
        Environment env, std::chrono::milliseconds timeout, std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
    friend class Group;
};

// One process's membership of the group: collectives on tensors of `device` (NCCL for CUDA
// tensors where LibTorch has it, Gloo otherwise). Every collective blocks until it is done; when
// another rank is gone (crashed, killed, hung past the timeout) it throws PeerLost naming it.
class Group {
public:
    Group(std::shared_ptr<Rendezvous> rendezvous, const c10::Device& device);
    ~Group();
    Group(const Group&) = delete;
    Group& operator=(const Group&) = delete;

    int rank() const;
    int size() const;
    std::string backendName() const; // "gloo" or "nccl"
    Rendezvous& rendezvous();

    // Sums the tensors in place over the ranks (one collective for the list: a bucket).
    void allreduceSum(std::vector<at::Tensor>& tensors);
    void allreduceMax(std::vector<at::Tensor>& tensors);
    void broadcast(std::vector<at::Tensor>& tensors, int root);
    void barrier();

    // A PeerLost for an exception a collective threw, naming the rank that is gone.
    PeerLost peerLost(const std::exception& cause, const std::string& during);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace msup::dist
