#include "csvdownload.h"

#include "apiclient.h"

#include <QDir>
#include <QNetworkReply>

namespace waybill::app {

CsvDownload::CsvDownload(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{ }

CsvDownload::~CsvDownload()
{
    dropReply();
    if (m_file.isOpen())
        m_file.cancelWriting();
}

bool CsvDownload::start(const QString &filePath, const QUrlQuery &query, QString *error)
{
    if (isRunning())
        return false;
    m_file.setFileName(filePath);
    if (!m_file.open(QIODevice::WriteOnly)) {
        *error = tr("%1 cannot be written: %2")
                     .arg(QDir::toNativeSeparators(filePath), m_file.errorString());
        return false;
    }
    m_lineEnds = m_rows = m_bytes = 0;
    m_lastWasCr = false;
    m_writing = false;
    m_reply = m_api->stream(QStringLiteral("/events.csv"), query);
    connect(m_reply, &QNetworkReply::readyRead, this, &CsvDownload::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &CsvDownload::onFinished);
    return true;
}

void CsvDownload::cancel()
{
    if (m_reply)
        fail(tr("Export cancelled; no file was written."));
}

void CsvDownload::onReadyRead()
{
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return; // an error answer: read whole when it finishes, never written to the file
    m_writing = true;
    const QByteArray chunk = m_reply->readAll();
    if (m_file.write(chunk) != chunk.size()) {
        fail(writeFailedText());
        return;
    }
    m_bytes += chunk.size();
    // Rows end with CRLF; data cells are compact JSON, which has no raw line breaks.
    for (const char c : chunk) {
        if (c == '\n' && m_lastWasCr)
            ++m_lineEnds;
        m_lastWasCr = c == '\r';
    }
    m_rows = std::max<qint64>(0, m_lineEnds - 1); // the header is not an event
    bool ok = false;
    const qint64 expectedRows = m_reply->rawHeader("X-Total-Count").toLongLong(&ok);
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    Q_EMIT progress(
        m_rows, ok ? expectedRows : -1, m_bytes, length.isValid() ? length.toLongLong() : -1);
}

void CsvDownload::onFinished()
{
    if (!m_reply)
        return;
    if (m_reply->error() == QNetworkReply::NoError)
        onReadyRead();
    if (!m_reply)
        return; // failed while writing
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    const ApiResult result = m_api->resultOf(reply);
    reply->deleteLater();
    if (!result.ok() || !m_writing) {
        fail(result.errorText.isEmpty() ? tr("The server sent no export.") : result.errorText);
        return;
    }
    if (!m_file.commit()) {
        Q_EMIT finished(false, writeFailedText());
        return;
    }
    Q_EMIT finished(true,
        tr("%Ln event(s) exported to %1.", nullptr, m_rows)
            .arg(QDir::toNativeSeparators(m_file.fileName())));
}

QString CsvDownload::writeFailedText() const
{
    return tr("Writing %1 failed: %2")
        .arg(QDir::toNativeSeparators(m_file.fileName()), m_file.errorString());
}

// Ends the download (when the reply is still running) and drops the partial file.
void CsvDownload::fail(const QString &message)
{
    dropReply();
    m_file.cancelWriting();
    m_file.commit(); // after cancelWriting: removes the temporary file
    Q_EMIT finished(false, message);
}

void CsvDownload::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

} // namespace waybill::app
