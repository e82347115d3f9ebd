#include "backend/serve/generation_queue.h"

#include <algorithm>

namespace vietllm::serve {

GenerationQueue::Ticket::Ticket(Ticket&& other) noexcept : m_queue(other.m_queue), m_id(other.m_id) {
    other.m_queue = nullptr;
}

GenerationQueue::Ticket::~Ticket() {
    if (m_queue != nullptr) {
        m_queue->leave(m_id);
    }
}

bool GenerationQueue::Ticket::waitTurn() {
    std::unique_lock<std::mutex> lock(m_queue->m_mutex);
    m_queue->m_changed.wait(lock, [this] { return m_queue->m_stopped || m_queue->m_line.front() == m_id; });
    return !m_queue->m_stopped;
}

std::optional<GenerationQueue::Ticket> GenerationQueue::enter() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_stopped || m_line.size() > m_max_waiting) {
        return std::nullopt;
    }
    m_line.push_back(m_next_id);
    return Ticket(*this, m_next_id++);
}

void GenerationQueue::stop() {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stopped = true;
    }
    m_changed.notify_all();
}

bool GenerationQueue::stopped() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_stopped;
}

std::size_t GenerationQueue::size() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_line.size();
}

void GenerationQueue::leave(std::uint64_t id) {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_line.erase(std::remove(m_line.begin(), m_line.end(), id), m_line.end());
    }
    m_changed.notify_all();
}

}  // namespace vietllm::serve
