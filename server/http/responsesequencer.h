// Answers to pipelined requests leave in request order (HTTP/1.1): each request takes a ticket
// when it is handled, in the order it was read; the bytes of a later ticket wait until every
// earlier answer is complete. No socket: what may go out now is handed to `write`, and an
// answer that ends the connection hands its way of closing to `close` once it is out.
#pragma once

#include <QByteArray>

#include <functional>
#include <map>

namespace waybill::http {

class ResponseSequencer final
{
public:
    enum class Close {
        No,
        Yes, // after this answer
        Lingering // after this answer, with the client's input drained a moment first
    };
    ResponseSequencer(
        std::function<void(const QByteArray &)> write, std::function<void(Close)> close);

    // The ticket of the next request's answer.
    quint64 open();
    void write(quint64 ticket, const QByteArray &bytes);
    void finish(quint64 ticket, Close close);

    // The ticket whose bytes go out as they come.
    quint64 current() const { return m_current; }
    // Bytes of that answer held back behind earlier ones (0 for the current ticket).
    qint64 heldBytes(quint64 ticket) const;
    // Bytes of all answers held back.
    qint64 heldBytes() const { return m_held; }
    // Tickets opened and not finished.
    int unfinished() const { return m_unfinished; }
    // An answer that ends the connection went out: nothing more will.
    bool isClosed() const { return m_closed; }

private:
    struct Held
    {
        QByteArray bytes;
        bool finished = false;
        Close close = Close::No;
    };

    void advance();
    void end(Close close);

    std::function<void(const QByteArray &)> m_write;
    std::function<void(Close)> m_close;
    quint64 m_next = 1;
    quint64 m_current = 1;
    std::map<quint64, Held> m_heldAnswers;
    qint64 m_held = 0;
    int m_unfinished = 0;
    bool m_currentDone = false; // the current answer is finished; its last bytes are going out
    bool m_closed = false;
};

} // namespace waybill::http
