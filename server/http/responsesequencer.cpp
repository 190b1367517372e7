#include "responsesequencer.h"

namespace waybill::http {

ResponseSequencer::ResponseSequencer(
    std::function<void(const QByteArray &)> write, std::function<void(Close)> close)
    : m_write(std::move(write))
    , m_close(std::move(close))
{ }

quint64 ResponseSequencer::open()
{
    ++m_unfinished;
    return m_next++;
}

void ResponseSequencer::write(quint64 ticket, const QByteArray &bytes)
{
    if (m_closed || ticket < m_current || ticket >= m_next || bytes.isEmpty()
        || (ticket == m_current && m_currentDone))
        return;
    if (ticket == m_current) {
        m_write(bytes);
        return;
    }
    Held &held = m_heldAnswers[ticket];
    if (held.finished)
        return;
    held.bytes += bytes;
    m_held += bytes.size();
}

void ResponseSequencer::finish(quint64 ticket, Close close)
{
    if (m_closed || ticket < m_current || ticket >= m_next
        || (ticket == m_current && m_currentDone))
        return;
    if (ticket != m_current) {
        Held &held = m_heldAnswers[ticket];
        if (held.finished)
            return;
        held.finished = true;
        held.close = close;
        --m_unfinished;
        return;
    }
    --m_unfinished;
    if (close != Close::No) {
        end(close);
        return;
    }
    ++m_current;
    advance();
}

void ResponseSequencer::advance()
{
    // A write can lead straight back here (the socket reports what it sent, and a streaming
    // answer writes its next piece): the state is up to date before each one.
    while (!m_closed) {
        const auto it = m_heldAnswers.find(m_current);
        if (it == m_heldAnswers.end())
            return;
        const Held held = std::move(it->second);
        m_heldAnswers.erase(it);
        m_held -= held.bytes.size();
        if (!held.finished) {
            // The rest of this answer goes out as it comes.
            if (!held.bytes.isEmpty())
                m_write(held.bytes);
            return;
        }
        if (held.close != Close::No) {
            if (!held.bytes.isEmpty())
                m_write(held.bytes);
            end(held.close);
            return;
        }
        // Later answers stay held while this one's last bytes go out.
        m_currentDone = true;
        if (!held.bytes.isEmpty())
            m_write(held.bytes);
        m_currentDone = false;
        ++m_current;
    }
}

void ResponseSequencer::end(Close close)
{
    m_closed = true;
    for (const auto &[ticket, held] : m_heldAnswers) {
        if (!held.finished)
            --m_unfinished;
    }
    m_heldAnswers.clear();
    m_held = 0;
    m_close(close);
}

qint64 ResponseSequencer::heldBytes(quint64 ticket) const
{
    const auto it = m_heldAnswers.find(ticket);
    return it == m_heldAnswers.end() ? 0 : it->second.bytes.size();
}

} // namespace waybill::http
