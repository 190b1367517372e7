#include "requestframer.h"

#include <QCoreApplication>

#include <cstring>
#include <utility>

namespace waybill::http {

namespace {

// QHttpServer 6.4's header parser gives up on a request with more (and then reads it as one
// without headers, hence without a body).
constexpr int kReaderMaxHeaders = 100;
constexpr int kMaxChunkLineBytes = 1024;
constexpr int kMaxChunkSizeDigits = 15;
constexpr int kMaxLengthDigits = 18;

QString tr(const char *text)
{
    return QCoreApplication::translate("waybill::http::RequestFramer", text);
}

// What QHttpServer skips before a request line.
bool isBlank(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

// RFC 9110 tchar: what a method or a header name is made of (and all QHttpServer accepts in a
// header name).
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isControl(char c)
{
    return (uchar(c) < 0x20 && c != '\t') || c == 0x7f;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QByteArrayView trimmedWhitespace(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

} // namespace

RequestFramer::RequestFramer(const HttpLimits &limits)
    : m_limits(limits)
{
    m_limits.maxHeaderCount = qBound(0, m_limits.maxHeaderCount, kReaderMaxHeaders);
}

bool RequestFramer::midRequest() const
{
    switch (m_phase) {
    case Phase::Blank:
        return m_blankBytes > 0;
    case Phase::Complete:
    case Phase::Refused:
        return false;
    default:
        return true;
    }
}

void RequestFramer::startRequest()
{
    m_line.clear();
    m_head = {};
    m_body.clear();
    m_blankBytes = 0;
    m_headBytes = 0;
    m_headerCount = 0;
    m_remaining = 0;
    m_chunked = false;
    m_phase = Phase::Blank;
}

RequestFramer::Request RequestFramer::takeRequest()
{
    Request request { std::move(m_head), std::move(m_body) };
    m_head = {};
    m_body = {};
    return request;
}

bool RequestFramer::refuse(int status, const QString &message)
{
    m_phase = Phase::Refused;
    m_refusalStatus = status;
    m_refusalMessage = message;
    m_line.clear();
    m_body.clear();
    return false;
}

RequestFramer::Step RequestFramer::feed(const char *data, qint64 size)
{
    Step step;
    if (m_phase == Phase::Refused) {
        step.refused = true;
        return step;
    }
    if (m_phase == Phase::Complete)
        startRequest();
    qint64 i = 0;
    while (i < size) {
        switch (m_phase) {
        case Phase::Blank: {
            if (!isBlank(data[i])) {
                m_phase = Phase::RequestLine;
                break;
            }
            ++i;
            ++step.blank;
            if (++m_blankBytes > m_limits.maxLeadingBlankBytes) {
                refuse(400,
                    tr("More than %1 bytes of empty lines came before the request")
                        .arg(m_limits.maxLeadingBlankBytes));
                step.refused = true;
                return step;
            }
            break;
        }
        case Phase::RequestLine:
        case Phase::Headers: {
            bool complete = false;
            const qint64 limit = m_phase == Phase::RequestLine
                ? m_limits.maxRequestLineBytes
                : m_limits.maxHeaderBytes - m_headBytes;
            const qint64 taken = takeLine(data + i, size - i, limit, &complete);
            i += taken;
            step.head += taken;
            if (m_phase == Phase::Refused) {
                step.refused = true;
                return step;
            }
            if (!complete)
                break;
            if (m_phase == Phase::RequestLine) {
                if (!requestLineComplete()) {
                    step.refused = true;
                    return step;
                }
                break;
            }
            bool headEnds = false;
            if (!headerLineComplete(&headEnds)) {
                step.refused = true;
                return step;
            }
            if (!headEnds)
                break;
            step.headComplete = true;
            if (!headComplete()) {
                step.refused = true;
                return step;
            }
            step.requestComplete = m_phase == Phase::Complete;
            return step;
        }
        case Phase::Body: {
            const qint64 take = qMin(size - i, m_remaining);
            m_body.append(data + i, take);
            i += take;
            step.body += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_phase = Phase::Complete;
                step.requestComplete = true;
                return step;
            }
            break;
        }
        case Phase::ChunkSize: {
            bool complete = false;
            const qint64 taken = takeChunkSize(data + i, size - i, &complete);
            i += taken;
            step.body += taken;
            if (m_phase == Phase::Refused) {
                step.refused = true;
                return step;
            }
            if (complete) {
                m_phase = m_chunkSize == 0 ? Phase::LastChunkEnd : Phase::ChunkData;
                m_remaining = m_chunkSize;
                m_sawCarriageReturn = false;
            }
            break;
        }
        case Phase::ChunkData: {
            const qint64 take = qMin(size - i, m_remaining);
            m_body.append(data + i, take);
            i += take;
            step.body += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_phase = Phase::ChunkDataEnd;
                m_sawCarriageReturn = false;
            }
            break;
        }
        case Phase::ChunkDataEnd:
        case Phase::LastChunkEnd: {
            // QHttpServer takes the next two bytes here, whatever they are: anything but CRLF
            // (a chunk longer than it said, or a trailer) would be read otherwise.
            const char c = data[i++];
            ++step.body;
            const bool expected = m_sawCarriageReturn ? c == '\n' : c == '\r';
            if (!expected) {
                if (m_phase == Phase::LastChunkEnd)
                    refuse(400, tr("Trailers after a chunked body are not accepted"));
                else
                    refuse(400, tr("A chunk is longer than its size says"));
                step.refused = true;
                return step;
            }
            if (!m_sawCarriageReturn) {
                m_sawCarriageReturn = true;
                break;
            }
            if (m_phase == Phase::LastChunkEnd) {
                m_phase = Phase::Complete;
                step.requestComplete = true;
                return step;
            }
            m_phase = Phase::ChunkSize;
            m_chunkSize = 0;
            m_chunkLineBytes = 0;
            m_chunkDigits = 0;
            m_chunkExtension = false;
            m_sawCarriageReturn = false;
            break;
        }
        case Phase::Complete:
        case Phase::Refused:
            return step;
        }
    }
    return step;
}

// Appends input to the current line up to its LF; *complete when the LF came. The line may not
// grow past `limit` bytes (its line end aside): it is refused at the very byte that makes it too
// long, however the input is split.
qint64 RequestFramer::takeLine(const char *data, qint64 size, qint64 limit, bool *complete)
{
    const auto *newline = static_cast<const char *>(std::memchr(data, '\n', size_t(size)));
    const qint64 take = newline ? (newline - data) + 1 : size;
    *complete = newline != nullptr;
    if (m_line.size() + take <= limit) {
        m_line.append(data, take);
        return take;
    }
    for (qint64 i = 0; i < take; ++i) {
        const char c = data[i];
        m_line.append(c);
        const qint64 content = c == '\n'
            ? m_line.size() - (m_line.endsWith("\r\n") ? 2 : 1)
            : m_line.size() - (c == '\r' ? 1 : 0); // a CR may end the line
        if (content > limit) {
            *complete = false;
            if (m_phase == Phase::RequestLine)
                refuse(414,
                    tr("The request line is longer than %1 bytes")
                        .arg(m_limits.maxRequestLineBytes));
            else
                refuse(431,
                    tr("The request headers are larger than %1 bytes")
                        .arg(m_limits.maxHeaderBytes));
            return i + 1;
        }
    }
    return take;
}

bool RequestFramer::requestLineComplete()
{
    QByteArrayView line(m_line);
    line.chop(line.endsWith("\r\n") ? 2 : 1);
    m_headBytes = m_line.size();
    // METHOD SP target SP version, nothing else: QHttpServer also takes runs of spaces, words
    // after the version and any byte in the target.
    for (const char c : line) {
        if (isControl(c) || uchar(c) >= 0x80 || c == '\t')
            return refuse(400, tr("The request line is not HTTP"));
    }
    const qsizetype first = line.indexOf(' ');
    const qsizetype second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    const bool threeWords = second > first + 1 && line.indexOf(' ', second + 1) < 0;
    const QByteArrayView method = threeWords ? line.first(first) : QByteArrayView();
    const QByteArrayView target
        = threeWords ? line.sliced(first + 1, second - first - 1) : QByteArrayView();
    const QByteArrayView version = threeWords ? line.sliced(second + 1) : QByteArrayView();
    if (!threeWords || !isToken(method)
        || !(target.startsWith('/') || target.startsWith("http://")
            || target.startsWith("https://")))
        return refuse(400, tr("The request line is not HTTP"));
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return refuse(400, tr("Only HTTP/1.0 and HTTP/1.1 are spoken here"));
    m_head.method = method.toByteArray();
    m_head.target = target.toByteArray();
    m_head.version = version.toByteArray();
    m_line.clear();
    m_phase = Phase::Headers;
    return true;
}

bool RequestFramer::headerLineComplete(bool *headEnds)
{
    m_headBytes += m_line.size();
    QByteArrayView line(m_line);
    line.chop(line.endsWith("\r\n") ? 2 : 1);
    if (line.isEmpty()) {
        m_line.clear();
        *headEnds = true;
        return true;
    }
    // QHttpServer joins a line that starts with white space to the header before.
    if (line.front() == ' ' || line.front() == '\t')
        return refuse(400, tr("Folded header lines are not accepted"));
    for (const char c : line) {
        if (isControl(c))
            return refuse(400, tr("A request header is malformed"));
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return refuse(400, tr("A request header is malformed"));
    if (++m_headerCount > m_limits.maxHeaderCount)
        return refuse(431, tr("The request has more than %1 headers").arg(m_limits.maxHeaderCount));
    m_head.headers.append({ line.first(colon).toByteArray(),
        trimmedWhitespace(line.sliced(colon + 1)).toByteArray() });
    m_line.clear();
    return true;
}

bool RequestFramer::headComplete()
{
    // QHttpServer takes the first Content-Length, reads any Transfer-Encoding that mentions
    // chunked as chunked, and prefers chunked to a length: only the plain cases are let in.
    int lengths = 0;
    int encodings = 0;
    QByteArrayView lengthValue;
    QByteArray encoding;
    for (const auto &h : std::as_const(m_head.headers)) {
        if (h.first.compare("content-length", Qt::CaseInsensitive) == 0) {
            ++lengths;
            lengthValue = h.second;
        } else if (h.first.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            ++encodings;
            encoding = h.second.toLower();
        }
    }
    if (encodings > 0) {
        if (lengths > 0)
            return refuse(
                400, tr("A request cannot have both Content-Length and Transfer-Encoding"));
        if (encodings > 1 || (encoding != "chunked" && encoding.contains("chunked")))
            return refuse(400, tr("Transfer-Encoding must be chunked alone"));
        if (encoding != "chunked")
            return refuse(501,
                tr("Transfer-Encoding \"%1\" is not supported").arg(QString::fromLatin1(encoding)));
        m_chunked = true;
    }
    if (lengths > 1)
        return refuse(400, tr("Content-Length is given more than once"));
    qint64 length = 0;
    if (lengths == 1) {
        bool digits = !lengthValue.isEmpty() && lengthValue.size() <= kMaxLengthDigits;
        for (qsizetype i = 0; digits && i < lengthValue.size(); ++i) {
            const char c = lengthValue.at(i);
            digits = c >= '0' && c <= '9';
            length = length * 10 + (c - '0');
        }
        if (!digits)
            return refuse(400, tr("Content-Length is not a number"));
    }
    if (length > m_limits.maxBodyBytes)
        return refuse(413, tr("The body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
    m_line.clear();
    if (m_chunked) {
        m_phase = Phase::ChunkSize;
        m_chunkSize = 0;
        m_chunkLineBytes = 0;
        m_chunkDigits = 0;
        m_chunkExtension = false;
        m_sawCarriageReturn = false;
    } else if (length > 0) {
        m_remaining = length;
        m_phase = Phase::Body;
    } else {
        m_phase = Phase::Complete;
    }
    return true;
}

// A chunk size line: hexadecimal digits, perhaps an extension after ';' (ignored), then CRLF.
// QHttpServer reads a size it cannot parse as 0 (the last chunk), and only CRLF ends the line.
qint64 RequestFramer::takeChunkSize(const char *data, qint64 size, bool *complete)
{
    *complete = false;
    qint64 i = 0;
    while (i < size) {
        const char c = data[i++];
        if (++m_chunkLineBytes > kMaxChunkLineBytes) {
            refuse(400, tr("A chunk size line is longer than %1 bytes").arg(kMaxChunkLineBytes));
            return i;
        }
        if (m_sawCarriageReturn) {
            if (c != '\n') {
                refuse(400, tr("A chunk size line must end with CRLF"));
                return i;
            }
            *complete = true;
            return i;
        }
        if (c == '\r') {
            if (m_chunkDigits == 0) {
                refuse(400, tr("A chunk size is not a hexadecimal number"));
                return i;
            }
            m_sawCarriageReturn = true;
            continue;
        }
        if (m_chunkExtension) {
            if (isControl(c) || uchar(c) >= 0x80) {
                refuse(400, tr("A chunk extension is malformed"));
                return i;
            }
            continue;
        }
        if (c == ';' && m_chunkDigits > 0) {
            m_chunkExtension = true;
            continue;
        }
        const int digit = hexValue(c);
        if (digit < 0) {
            if (c == '\n')
                refuse(400, tr("A chunk size line must end with CRLF"));
            else
                refuse(400, tr("A chunk size is not a hexadecimal number"));
            return i;
        }
        if (++m_chunkDigits > kMaxChunkSizeDigits) {
            refuse(400, tr("A chunk size is not a hexadecimal number"));
            return i;
        }
        m_chunkSize = m_chunkSize * 16 + digit;
        if (m_chunkSize > m_limits.maxBodyBytes - m_body.size()) {
            refuse(413, tr("The body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
            return i;
        }
    }
    return i;
}

QByteArray messageForReader(const RequestHead &head, QByteArray body)
{
    QByteArray message;
    message.reserve(head.target.size() + 64 + head.headers.size() * 48 + body.size());
    message += head.method;
    message += ' ';
    message += head.target;
    message += ' ';
    message += head.version;
    message += "\r\n";
    bool hadLength = false;
    for (const auto &h : head.headers) {
        if (h.first.compare("content-length", Qt::CaseInsensitive) == 0) {
            hadLength = true;
            continue;
        }
        if (h.first.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            continue;
        message += h.first;
        message += ": ";
        message += h.second;
        message += "\r\n";
    }
    if (hadLength || !body.isEmpty()) {
        message += "Content-Length: ";
        message += QByteArray::number(body.size());
        message += "\r\n";
    }
    message += "\r\n";
    message += body;
    return message;
}

} // namespace waybill::http
