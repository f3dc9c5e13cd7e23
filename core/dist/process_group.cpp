#include "core/dist/process_group.h"

#include <torch/version.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef MSUP_HAVE_C10D
#include <c10/util/Exception.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <ATen/ATen.h>
#endif

extern char** environ;

namespace msup::dist {

namespace {

    using Clock = std::chrono::steady_clock;

    std::string envValue(const char* name)
    {
        const char* v = std::getenv(name);
        return v ? std::string(v) : std::string();
    }

    // A variable that must hold a whole number in [low, high].
    int intVariable(const char* name, const std::string& value, int low, int high)
    {
        char* end = nullptr;
        errno = 0;
        const long v = std::strtol(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || errno != 0 || v < low || v > high)
            throw Error(std::string("the environment variable ") + name + " is '" + value
                + "', not a whole number from " + std::to_string(low) + " to " + std::to_string(high)
                + " (it describes this process's place in a distributed run; see README, 'Several "
                  "processes')");
        return int(v);
    }

    // The first of `names` that is set, with its name.
    std::pair<const char*, std::string> firstSet(std::initializer_list<const char*> names)
    {
        for (const char* n : names) {
            const std::string v = envValue(n);
            if (!v.empty())
                return { n, v };
        }
        return { *names.begin(), std::string() };
    }

    std::string signalName(int sig)
    {
        const char* s = strsignal(sig);
        return "signal " + std::to_string(sig) + (s ? std::string(" (") + s + ")" : std::string());
    }

    std::string exitDescription(int status)
    {
        if (WIFSIGNALED(status))
            return "was killed by " + signalName(WTERMSIG(status));
        if (WIFEXITED(status))
            return WEXITSTATUS(status) == 127 ? "could not be started (exit code 127)"
                                              : "exited with code " + std::to_string(WEXITSTATUS(status));
        return "ended (status " + std::to_string(status) + ")";
    }

} // namespace

Environment Environment::fromProcess(bool* present)
{
    Environment env;
    const auto world = firstSet({ "WORLD_SIZE", "SLURM_NTASKS" });
    const bool slurmOnly = envValue("WORLD_SIZE").empty();
    // Slurm's variables describe a group only when the user also says where rank 0 listens.
    const bool isSet = !world.second.empty() && (!slurmOnly || !envValue("MASTER_ADDR").empty());
    if (present)
        *present = isSet;
    if (!isSet)
        return env;
    env.worldSize = intVariable(world.first, world.second, 1, 65536);
    const auto rank = firstSet({ "RANK", "SLURM_PROCID" });
    if (rank.second.empty())
        throw Error(std::string(world.first)
            + " is set but RANK is not: each process of a distributed run needs its rank (torchrun and "
              "srun set both; see README, 'Several processes')");
    env.rank = intVariable(rank.first, rank.second, 0, env.worldSize - 1);
    const auto local = firstSet({ "LOCAL_RANK", "SLURM_LOCALID" });
    env.localRank = local.second.empty() ? 0 : intVariable(local.first, local.second, 0, 65535);
    const auto localWorld = firstSet({ "LOCAL_WORLD_SIZE", "SLURM_NTASKS_PER_NODE" });
    // SLURM_NTASKS_PER_NODE may read "2(x3)"; its leading number is the tasks of this node.
    std::string lw = localWorld.second.substr(0, localWorld.second.find('('));
    env.localWorldSize = lw.empty() ? 1 : intVariable(localWorld.first, lw, 1, 65536);
    env.masterAddr = envValue("MASTER_ADDR");
    if (env.masterAddr.empty())
        throw Error(
            "MASTER_ADDR is not set: every process of a distributed run needs the address of rank 0's "
            "machine (e.g. export MASTER_ADDR=$(hostname) on rank 0's node; see README, 'Several "
            "processes')");
    const std::string port = envValue("MASTER_PORT");
    if (port.empty())
        throw Error("MASTER_PORT is not set: every process of a distributed run needs the TCP port rank 0 "
                    "listens on (e.g. export MASTER_PORT=29500; see README, 'Several processes')");
    env.masterPort = intVariable("MASTER_PORT", port, 1, 65535);
    env.launched = envValue("MASKSUP_DIST_LAUNCHED") == "1";
    env.agentStore = envValue("TORCHELASTIC_USE_AGENT_STORE") == "True";
    return env;
}

#ifndef MSUP_HAVE_C10D

bool available()
{
    return false;
}
bool ncclAvailable()
{
    return false;
}
std::string unavailableReason()
{
    return "this build of MaskSup Studio has no distributed training: it was built without c10d's Gloo "
           "headers (Debian: install libgloo-dev, then build again; scripts/install-deps.sh does both)";
}

struct Rendezvous::Impl { };
Rendezvous::Rendezvous(std::unique_ptr<Impl> impl)
    : d(std::move(impl))
{
}
Rendezvous::~Rendezvous() = default;
std::shared_ptr<Rendezvous> Rendezvous::host(int, std::chrono::milliseconds)
{
    throw Error(unavailableReason());
}
std::shared_ptr<Rendezvous> Rendezvous::connect(const Environment&, std::chrono::milliseconds)
{
    throw Error(unavailableReason());
}
const Environment& Rendezvous::environment() const
{
    throw Error(unavailableReason());
}
int Rendezvous::port() const
{
    return 0;
}
std::chrono::milliseconds Rendezvous::timeout() const
{
    return {};
}
void Rendezvous::setTimeout(std::chrono::milliseconds) { }
void Rendezvous::publish(const std::string&, const std::string&) { }
std::string Rendezvous::get(const std::string&)
{
    return {};
}
std::vector<long> Rendezvous::startWorkers(const Worker&, int)
{
    return {};
}
void Rendezvous::reportFailure(int, const std::string&) noexcept { }
std::string Rendezvous::explainRank(int, int)
{
    return {};
}
std::vector<int> Rendezvous::silentRanks(int, int)
{
    return {};
}
void Rendezvous::waitForWorkers(std::chrono::milliseconds) { }
void Rendezvous::markJoined(int) { }
std::vector<std::pair<int, std::string>> Rendezvous::reapWorkers(int)
{
    return {};
}

struct Group::Impl { };
Group::Group(std::shared_ptr<Rendezvous>, const c10::Device&)
{
    throw Error(unavailableReason());
}
Group::~Group() = default;
int Group::rank() const
{
    return 0;
}
int Group::size() const
{
    return 1;
}
std::string Group::backendName() const
{
    return {};
}
Rendezvous& Group::rendezvous()
{
    throw Error(unavailableReason());
}
void Group::allreduceSum(std::vector<at::Tensor>&) { }
void Group::allreduceMax(std::vector<at::Tensor>&) { }
void Group::broadcast(std::vector<at::Tensor>&, int) { }
void Group::barrier() { }
PeerLost Group::peerLost(const std::exception& cause, const std::string&)
{
    return PeerLost(cause.what(), -1);
}

#else

bool available()
{
    return true;
}
bool ncclAvailable()
{
#ifdef USE_C10D_NCCL
    return true;
#else
    return false;
#endif
}
std::string unavailableReason()
{
    return {};
}

namespace {

    std::string text(const std::exception& e)
    {
        if (const auto* c = dynamic_cast<const c10::Error*>(&e))
            return c->what_without_backtrace();
        return e.what();
    }

    std::vector<uint8_t> bytes(const std::string& s)
    {
        return std::vector<uint8_t>(s.begin(), s.end());
    }

    // LibTorch >= 2.2 defaults TCPStoreOptions::useLibUV to true; Debian 13's 2.6 is built without
    // libuv and then refuses to make a store, so the classic TCP backend is asked for explicitly.
    void classicBackend([[maybe_unused]] c10d::TCPStoreOptions& so)
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 2)
        so.useLibUV = false;
#endif
    }

} // namespace

struct Rendezvous::Impl {
    struct Child {
        int rank = 0;
        pid_t pid = -1;
        bool reaped = false;
        int status = 0;
    };
    Environment env;
    std::chrono::milliseconds timeout { 0 };
    c10::intrusive_ptr<c10d::TCPStore> tcp;
    c10::intrusive_ptr<c10d::Store> store; // tcp under the prefix "msup/"
    std::vector<Child> children;

    // Collects the children that have ended, without waiting.
    void poll()
    {
        for (Child& c : children) {
            if (c.reaped)
                continue;
            int status = 0;
            if (waitpid(c.pid, &status, WNOHANG) == c.pid) {
                c.reaped = true;
                c.status = status;
            }
        }
    }
    const Child* endedBadly()
    {
        poll();
        for (const Child& c : children)
            if (c.reaped && !(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0))
                return &c;
        return nullptr;
    }
    std::string failureMessage(int rank)
    {
        try {
            const std::string key = "failed/" + std::to_string(rank);
            if (store->check({ key })) {
                const std::vector<uint8_t> v = store->get(key);
                return std::string(v.begin(), v.end());
            }
        } catch (const std::exception&) {
        }
        return {};
    }
};

Rendezvous::Rendezvous(std::unique_ptr<Impl> impl)
    : d(std::move(impl))
{
}

Rendezvous::~Rendezvous()
{
    // After a normal end the ranks exit at once; after a failure they exit when they see this
    // process's group go (or are stopped here: SIGTERM, then SIGKILL).
    if (!d->children.empty())
        reapWorkers(5000);
}

namespace {

    c10d::TCPStoreOptions storeOptions(int port, bool server, std::chrono::milliseconds timeout)
    {
        c10d::TCPStoreOptions so;
        so.port = std::uint16_t(port); // 0 on a server: the kernel picks a free one (no probe-then-bind race)
        so.isServer = server;
        so.waitWorkers = false;
        so.timeout = timeout;
        classicBackend(so);
        return so;
    }

} // namespace

std::shared_ptr<Rendezvous> Rendezvous::open(
    Environment env, std::chrono::milliseconds timeout, std::unique_ptr<Impl> impl)
{
    if (env.masterPort == 0)
        env.masterPort = impl->tcp->getPort();
    impl->env = env;
    impl->timeout = timeout;
    impl->store = c10::make_intrusive<c10d::PrefixStore>("msup", impl->tcp);
    return std::shared_ptr<Rendezvous>(new Rendezvous(std::move(impl)));
}

std::shared_ptr<Rendezvous> Rendezvous::host(int worldSize, std::chrono::milliseconds timeout)
{
    Environment env;
    env.worldSize = env.localWorldSize = worldSize;
    env.masterAddr = "127.0.0.1";
    auto impl = std::make_unique<Impl>();
    try {
        impl->tcp = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, storeOptions(0, true, timeout));
    } catch (const std::exception& e) {
        throw Error("could not open the rendezvous for the worker processes on 127.0.0.1: " + text(e));
    }
    return open(env, timeout, std::move(impl));
}

std::shared_ptr<Rendezvous> Rendezvous::connect(const Environment& env, std::chrono::milliseconds timeout)
{
    const bool server = env.rank == 0 && !env.launched && !env.agentStore;
    auto impl = std::make_unique<Impl>();
    try {
        impl->tcp = c10::make_intrusive<c10d::TCPStore>(
            env.masterAddr, storeOptions(env.masterPort, server, timeout));
    } catch (const std::exception& e) {
        const std::string where = env.masterAddr + ":" + std::to_string(env.masterPort);
        throw PeerLost(server ? "rank 0 could not listen on " + where + " for the other processes: " + text(e)
                    + " (is the port in use? choose another MASTER_PORT)"
                              : "rank " + std::to_string(env.rank) + " could not reach rank 0 at " + where
                    + " within " + std::to_string(timeout.count() / 1000) + " s: " + text(e)
                    + " (is rank 0 running, and are MASTER_ADDR and MASTER_PORT the same for every process?)",
            0);
    }
    return open(env, timeout, std::move(impl));
}

const Environment& Rendezvous::environment() const
{
    return d->env;
}
int Rendezvous::port() const
{
    return d->env.masterPort;
}
std::chrono::milliseconds Rendezvous::timeout() const
{
    return d->timeout;
}

void Rendezvous::setTimeout(std::chrono::milliseconds timeout)
{
    d->timeout = timeout;
    d->tcp->setTimeout(timeout);
}

void Rendezvous::publish(const std::string& key, const std::string& value)
{
    d->store->set(key, bytes(value));
}

std::string Rendezvous::get(const std::string& key)
{
    try {
        const std::vector<uint8_t> v = d->store->get(key);
        return std::string(v.begin(), v.end());
    } catch (const std::exception& e) {
        throw PeerLost("rank " + std::to_string(d->env.rank) + " did not get '" + key + "' from rank 0 at "
                + d->env.masterAddr + ":" + std::to_string(d->env.masterPort) + ": " + text(e),
            0);
    }
}

std::vector<long> Rendezvous::startWorkers(const Worker& worker, int threads)
{
    if (::access(worker.program.c_str(), X_OK) != 0)
        throw Error("cannot start the worker processes: '" + worker.program
            + "' is not an executable file (the masksup command-line tool must be installed beside "
              "masksup-studio; MASKSUP_WORKER_PROGRAM names another)");
    std::vector<long> pids;
    const pid_t parent = ::getpid();
    for (int rank = 1; rank < d->env.worldSize; ++rank) {
        // Everything exec needs is prepared before fork: after it, only async-signal-safe calls.
        const std::vector<std::pair<std::string, std::string>> vars
            = { { "WORLD_SIZE", std::to_string(d->env.worldSize) }, { "RANK", std::to_string(rank) },
                  { "LOCAL_RANK", std::to_string(rank) },
                  { "LOCAL_WORLD_SIZE", std::to_string(d->env.worldSize) },
                  { "MASTER_ADDR", d->env.masterAddr }, { "MASTER_PORT", std::to_string(d->env.masterPort) },
                  { "MASKSUP_DIST_LAUNCHED", "1" }, { "OMP_NUM_THREADS", std::to_string(threads) } };
        std::vector<std::string> envStrings;
        for (char** e = environ; e && *e; ++e) {
            const std::string s(*e);
            bool replaced = false;
            for (const auto& v : vars)
                replaced = replaced || s.rfind(v.first + "=", 0) == 0;
            if (!replaced)
                envStrings.push_back(s);
        }
        for (const auto& v : vars)
            envStrings.push_back(v.first + "=" + v.second);
        std::vector<std::string> argStrings { worker.program };
        argStrings.insert(argStrings.end(), worker.args.begin(), worker.args.end());
        std::vector<char*> argv, envp;
        for (std::string& s : argStrings)
            argv.push_back(s.data());
        argv.push_back(nullptr);
        for (std::string& s : envStrings)
            envp.push_back(s.data());
        envp.push_back(nullptr);
        const pid_t pid = ::fork();
        if (pid < 0)
            throw Error(std::string("cannot start worker process ") + std::to_string(rank) + ": "
                + std::strerror(errno));
        if (pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent)
                ::_exit(1);
            const int null = ::open("/dev/null", O_WRONLY);
            if (null >= 0)
                ::dup2(null, STDOUT_FILENO);
            ::execve(argv[0], argv.data(), envp.data());
            ::_exit(127);
        }
        d->children.push_back({ rank, pid, false, 0 });
        pids.push_back(pid);
    }
    return pids;
}

void Rendezvous::reportFailure(int rank, const std::string& message) noexcept
{
    try {
        d->store->set("failed/" + std::to_string(rank), bytes(message));
    } catch (...) {
    }
}

std::string Rendezvous::explainRank(int rank, int waitMs)
{
    const auto until = Clock::now() + std::chrono::milliseconds(waitMs);
    for (Impl::Child& c : d->children) {
        if (c.rank != rank)
            continue;
        while (true) {
            d->poll();
            if (c.reaped || Clock::now() >= until)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        std::string s = "process " + std::to_string(c.pid)
            + (c.reaped ? " " + exitDescription(c.status)
                        : std::string(" is still running but does not answer"));
        const std::string message = d->failureMessage(rank);
        return message.empty() ? s : s + ": " + message;
    }
    return d->failureMessage(rank);
}

std::vector<int> Rendezvous::silentRanks(int self, int waitMs)
{
    try {
        d->store->set("down/" + std::to_string(self), bytes("alive"));
    } catch (const std::exception&) {
        return { 0 }; // the store is gone with the process that hosts it: rank 0
    }
    const auto until = Clock::now() + std::chrono::milliseconds(waitMs);
    std::vector<int> silent;
    while (true) {
        silent.clear();
        try {
            for (int r = 0; r < d->env.worldSize; ++r)
                if (r != self && !d->store->check({ "down/" + std::to_string(r) })
                    && !d->store->check({ "failed/" + std::to_string(r) }))
                    silent.push_back(r);
        } catch (const std::exception&) {
            return { 0 };
        }
        if (silent.empty() || Clock::now() >= until)
            return silent;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void Rendezvous::markJoined(int rank)
{
    d->store->set("joined/" + std::to_string(rank), bytes("1"));
}

void Rendezvous::waitForWorkers(std::chrono::milliseconds timeout)
{
    const auto until = Clock::now() + timeout;
    while (true) {
        if (const Impl::Child* c = d->endedBadly()) {
            const std::string message = d->failureMessage(c->rank);
            throw PeerLost("rank " + std::to_string(c->rank) + " (process " + std::to_string(c->pid) + ") "
                    + exitDescription(c->status) + " before it joined the group"
                    + (message.empty() ? std::string(" (its own message is above, on standard error)")
                                       : ": " + message),
                c->rank);
        }
        std::vector<int> missing;
        for (const Impl::Child& c : d->children)
            if (!d->store->check({ "joined/" + std::to_string(c.rank) }))
                missing.push_back(c.rank);
        if (missing.empty())
            return;
        if (Clock::now() >= until)
            throw PeerLost("rank " + std::to_string(missing.front()) + " did not join the group within "
                    + std::to_string(timeout.count() / 1000) + " s",
                missing.front());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::vector<std::pair<int, std::string>> Rendezvous::reapWorkers(int waitMs)
{
    const auto until = Clock::now() + std::chrono::milliseconds(waitMs);
    auto allReaped = [&] {
        d->poll();
        return std::all_of(
            d->children.begin(), d->children.end(), [](const Impl::Child& c) { return c.reaped; });
    };
    while (!allReaped() && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (int sig : { SIGTERM, SIGKILL }) {
        if (allReaped())
            break;
        for (const Impl::Child& c : d->children)
            if (!c.reaped)
                ::kill(c.pid, sig);
        const auto grace = Clock::now() + std::chrono::seconds(3);
        while (!allReaped() && Clock::now() < grace)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::vector<std::pair<int, std::string>> bad;
    for (const Impl::Child& c : d->children)
        if (c.reaped && !(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0))
            bad.push_back({ c.rank,
                "rank " + std::to_string(c.rank) + " (process " + std::to_string(c.pid) + ") "
                    + exitDescription(c.status) });
    return bad;
}

// ---- the group ----

#if TORCH_VERSION_MAJOR >= 2
using BackendPtr = c10::intrusive_ptr<c10d::Backend>;
#else
using BackendPtr = c10::intrusive_ptr<c10d::ProcessGroup>;
#endif

struct Group::Impl {
    std::shared_ptr<Rendezvous> rendezvous;
    BackendPtr backend;
    std::string name;
    int rank = 0, size = 1;

    void wait(const c10::intrusive_ptr<c10d::Work>& work, Group& g, const char* what)
    {
        try {
            work->wait();
        } catch (const std::exception& e) {
            throw g.peerLost(e, what);
        }
    }
};

namespace {

    std::shared_ptr<::gloo::transport::Device> glooDevice(const Environment& env)
    {
        if (env.masterAddr == "127.0.0.1" || env.masterAddr == "localhost")
            return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
        const std::string ifname = envValue("GLOO_SOCKET_IFNAME");
        if (!ifname.empty())
            return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
        return c10d::ProcessGroupGloo::createDefaultDevice();
    }

} // namespace

Group::Group(std::shared_ptr<Rendezvous> rendezvous, const c10::Device& device)
    : d(std::make_unique<Impl>())
{
    d->rendezvous = std::move(rendezvous);
    Rendezvous& rv = *d->rendezvous;
    const Environment& env = rv.environment();
    d->rank = env.rank;
    d->size = env.worldSize;
    try {
        rv.markJoined(d->rank);
        if (!rv.d->children.empty())
            rv.waitForWorkers(rv.timeout());
#ifdef USE_C10D_NCCL
        if (device.is_cuda()) {
            auto opts = c10d::ProcessGroupNCCL::Options::create();
            opts->timeout = rv.timeout();
            d->backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(
                c10::make_intrusive<c10d::PrefixStore>("nccl", rv.d->store), d->rank, d->size, opts);
            d->name = "nccl";
        }
#else
        (void)device;
#endif
        if (!d->backend) {
            auto opts = c10d::ProcessGroupGloo::Options::create(rv.timeout());
            opts->devices.push_back(glooDevice(env));
            opts->threads = 2;
            d->backend = c10::make_intrusive<c10d::ProcessGroupGloo>(
                c10::make_intrusive<c10d::PrefixStore>("gloo", rv.d->store), d->rank, d->size, opts);
            d->name = "gloo";
        }
    } catch (const PeerLost&) {
        throw;
    } catch (const std::exception& e) {
        throw peerLost(e, "connecting the processes");
    }
}

Group::~Group() = default;

int Group::rank() const
{
    return d->rank;
}
int Group::size() const
{
    return d->size;
}
std::string Group::backendName() const
{
    return d->name;
}
Rendezvous& Group::rendezvous()
{
    return *d->rendezvous;
}

namespace {

    // One contiguous buffer for a list (a bucket): the collective runs once, whatever the list.
    template <typename Run> void flatCollective(std::vector<at::Tensor>& tensors, Run run)
    {
        if (tensors.empty())
            return;
        if (tensors.size() == 1 && tensors[0].is_contiguous()) {
            run(tensors);
            return;
        }
        std::vector<at::Tensor> flat;
        for (const at::Tensor& t : tensors)
            flat.push_back(t.reshape({ -1 }));
        std::vector<at::Tensor> bucket { at::cat(flat) };
        run(bucket);
        int64_t offset = 0;
        for (at::Tensor& t : tensors) {
            t.copy_(bucket[0].narrow(0, offset, t.numel()).view_as(t));
            offset += t.numel();
        }
    }

} // namespace

void Group::allreduceSum(std::vector<at::Tensor>& tensors)
{
    flatCollective(tensors, [this](std::vector<at::Tensor>& t) {
        c10d::AllreduceOptions o;
        o.reduceOp = c10d::ReduceOp::SUM;
        d->wait(d->backend->allreduce(t, o), *this, "a sum over the processes");
    });
}

void Group::allreduceMax(std::vector<at::Tensor>& tensors)
{
    flatCollective(tensors, [this](std::vector<at::Tensor>& t) {
        c10d::AllreduceOptions o;
        o.reduceOp = c10d::ReduceOp::MAX;
        d->wait(d->backend->allreduce(t, o), *this, "a maximum over the processes");
    });
}

void Group::broadcast(std::vector<at::Tensor>& tensors, int root)
{
    flatCollective(tensors, [this, root](std::vector<at::Tensor>& t) {
        c10d::BroadcastOptions o;
        o.rootRank = root;
        d->wait(d->backend->broadcast(t, o), *this, "a broadcast");
    });
}

void Group::barrier()
{
    d->wait(d->backend->barrier(), *this, "a barrier");
}

PeerLost Group::peerLost(const std::exception& cause, const std::string& during)
{
    Rendezvous& rv = *d->rendezvous;
    const std::string detail = (d->name.empty() ? std::string("c10d") : d->name) + ": " + text(cause);
    // A local launcher knows its children: the one that ended is the one that is gone.
    const auto until = Clock::now() + std::chrono::seconds(3);
    while (!rv.d->children.empty()) {
        if (const Rendezvous::Impl::Child* c = rv.d->endedBadly())
            return PeerLost("rank " + std::to_string(c->rank) + " stopped during " + during + ": "
                    + rv.explainRank(c->rank, 0) + ". (" + detail + ")",
                c->rank);
        if (Clock::now() >= until)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Otherwise the survivors say so in the store; a rank that said why it failed is named with
    // its message, one that says nothing is the one that is gone.
    for (int r = 0; r < d->size; ++r) {
        if (r == d->rank)
            continue;
        const std::string message = rv.d->failureMessage(r);
        if (!message.empty())
            return PeerLost("rank " + std::to_string(r) + " failed: " + message + " (seen by rank "
                    + std::to_string(d->rank) + " during " + during + ")",
                r);
    }
    const std::vector<int> silent = rv.silentRanks(d->rank, 3000);
    if (silent.empty())
        return PeerLost("the processes lost each other during " + during + " (" + detail + ")", -1);
    std::string names;
    for (int r : silent)
        names += (names.empty() ? "" : ", ") + std::to_string(r);
    const bool storeHost = silent.size() == 1 && silent.front() == 0 && d->rank != 0;
    return PeerLost(std::string(silent.size() == 1 ? "rank " : "ranks ") + names
            + " stopped answering during " + during
            + (storeHost ? " (rank 0 hosts the rendezvous at " + rv.d->env.masterAddr + ":"
                        + std::to_string(rv.d->env.masterPort) + ")"
                         : std::string())
            + ": killed, crashed, hung for longer than the timeout of "
            + std::to_string(rv.timeout().count() / 1000) + " s, or its machine is unreachable. (" + detail
            + ")",
        silent.size() == 1 ? silent.front() : -1);
}

#endif

} // namespace msup::dist
