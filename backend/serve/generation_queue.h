#pragma once
// The line of requests in front of a non-re-entrant engine: one runs, at most `max_waiting`
// wait in arrival order, and a request beyond that is refused at once (the server answers 429)
// instead of piling up threads and memory.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace vietllm::serve {

class GenerationQueue {
public:
    /// A place in the line; leaving it (destruction) lets the next request run.
    class Ticket {
    public:
        Ticket(Ticket&& other) noexcept;
        Ticket& operator=(Ticket&& other) = delete;
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        ~Ticket();

        /// Blocks until every request admitted earlier has left; false when the queue was stopped.
        bool waitTurn();

    private:
        friend class GenerationQueue;
        Ticket(GenerationQueue& queue, std::uint64_t id) : m_queue(&queue), m_id(id) {}

        GenerationQueue* m_queue;
        std::uint64_t m_id;
    };

    explicit GenerationQueue(std::size_t max_waiting) : m_max_waiting(max_waiting) {}

    /// A ticket, or nullopt when one request runs and `max_waiting` wait already (or after stop()).
    std::optional<Ticket> enter();
    /// Wakes every waiter with "stopped" and refuses new requests.
    void stop();
    bool stopped() const;
    /// Requests admitted and not yet gone (the running one included).
    std::size_t size() const;

private:
    void leave(std::uint64_t id);

    const std::size_t m_max_waiting;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::uint64_t> m_line;
    std::uint64_t m_next_id = 0;
    bool m_stopped = false;
};

}  // namespace vietllm::serve
