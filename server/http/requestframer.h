// Where each HTTP/1.1 request on a connection begins and ends, decided from its bytes alone (no
// socket, no clock). It reads a strict subset of what QHttpServer 6.4.2's reader accepts and
// refuses everything else, so the two can never frame the same bytes differently; the reader
// then only ever sees messageForReader()'s plain rewrite of a request this framer read.
// docs/design.md ("HTTP framing") lists what is refused and why.
#pragma once

#include "httplimits.h"
#include "httpmessage.h"

#include <QByteArray>
#include <QString>

namespace waybill::http {

class RequestFramer final
{
public:
    explicit RequestFramer(const HttpLimits &limits);

    // What one feed() took. A step ends right after the head is complete, after the request is
    // complete, or at a refusal, so that the caller can act there; the rest of the input is left
    // for the next call.
    struct Step
    {
        qint64 blank = 0; // bytes of empty lines before a request line (skipped)
        qint64 head = 0; // bytes of the request line and headers
        qint64 body = 0; // bytes of the body as sent, chunk framing included
        bool headComplete = false;
        bool requestComplete = false;
        bool refused = false;

        qint64 consumed() const { return blank + head + body; }
    };
    Step feed(const char *data, qint64 size);

    // The head as read, from headComplete until the next request begins.
    const RequestHead &head() const { return m_head; }

    struct Request
    {
        RequestHead head;
        QByteArray body; // chunks joined
    };
    // After requestComplete, before the next feed().
    Request takeRequest();

    // A byte of a request (an empty line before it included) was read, and not its end.
    bool midRequest() const;
    bool isRefused() const { return m_phase == Phase::Refused; }
    // After a refusal (final: later feeds take nothing): 400, 413, 414, 431 or 501, and why.
    int refusalStatus() const { return m_refusalStatus; }
    const QString &refusalMessage() const { return m_refusalMessage; }

private:
    enum class Phase {
        Blank, // before a request line: empty lines are skipped
        RequestLine,
        Headers,
        Body, // Content-Length
        ChunkSize,
        ChunkData,
        ChunkDataEnd, // the CRLF after a chunk's data
        LastChunkEnd, // the CRLF after the last chunk: no trailers
        Complete,
        Refused
    };

    qint64 takeLine(const char *data, qint64 size, qint64 limit, bool *complete);
    bool requestLineComplete();
    bool headerLineComplete(bool *headEnds);
    bool headComplete();
    qint64 takeChunkSize(const char *data, qint64 size, bool *complete);
    bool refuse(int status, const QString &message);
    void startRequest();

    HttpLimits m_limits;
    Phase m_phase = Phase::Blank;
    QByteArray m_line;
    RequestHead m_head;
    QByteArray m_body;
    qint64 m_blankBytes = 0;
    qint64 m_headBytes = 0;
    int m_headerCount = 0;
    qint64 m_remaining = 0; // of the body or of the current chunk
    qint64 m_chunkSize = 0;
    int m_chunkLineBytes = 0;
    int m_chunkDigits = 0;
    bool m_chunkExtension = false;
    bool m_sawCarriageReturn = false;
    bool m_chunked = false;
    int m_refusalStatus = 0;
    QString m_refusalMessage;
};

// The request as QHttpServer's reader is given it: the request line and headers as read, minus
// Transfer-Encoding and Content-Length, then a Content-Length for the body when there is one,
// and the body. The reader cannot read this otherwise than the framer read the original.
QByteArray messageForReader(const RequestHead &head, QByteArray body);

} // namespace waybill::http
