#include "commandburst.h"

#include "samplehistory.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QtCore/qtestsupport_core.h>

#include <array>

namespace waybill::test {

namespace {

QNetworkRequest commandRequest(const QUrl &server, const QString &path, const QByteArray &token)
{
    QNetworkRequest request(server.resolved(QUrl(path)));
    request.setRawHeader("Authorization", "Bearer " + token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setAttribute(QNetworkRequest::HttpPipeliningAllowedAttribute, true);
    return request;
}

// Files one finished reply under the answer it got.
void record(QNetworkReply *reply, BurstAnswers &answers)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QString path = reply->url().path();
    if (status == 202) {
        answers.acknowledged
            << QJsonDocument::fromJson(body).object().value(QStringLiteral("commandId")).toString();
    } else if (status == 0) {
        answers.unanswered << QStringLiteral("%1: %2").arg(path, reply->errorString());
    } else {
        answers.refused
            << QStringLiteral("%1: %2 %3").arg(path).arg(status).arg(QString::fromUtf8(body));
    }
}

} // namespace

BurstAnswers postBurst(const QUrl &server, const QByteArray &token,
    const QVector<CommandPost> &posts, int timeoutMs,
    const std::function<void(int)> &onAcknowledged)
{
    // Each manager opens its own few connections: together, dozens, as under real load.
    std::array<QNetworkAccessManager, 8> networks;
    BurstAnswers answers;
    int finished = 0;
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    replies.reserve(size_t(posts.size()));
    for (const CommandPost &post : posts) {
        QNetworkReply *reply = networks[replies.size() % networks.size()].post(
            commandRequest(server, post.path, token), post.body);
        QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply] {
            const qsizetype before = answers.acknowledged.size();
            record(reply, answers);
            ++finished;
            if (answers.acknowledged.size() > before && onAcknowledged)
                onAcknowledged(int(answers.acknowledged.size()));
        });
        replies.emplace_back(reply);
    }
    (void)QTest::qWaitFor([&] { return finished == posts.size(); }, timeoutMs);
    for (const auto &reply : replies) {
        if (!reply->isFinished()) {
            answers.unanswered << QStringLiteral("%1: no answer within %2 ms")
                                      .arg(reply->url().path())
                                      .arg(timeoutMs);
            reply->disconnect();
            reply->abort();
        }
    }
    return answers;
}

SteadySubmits::SteadySubmits(const QUrl &server, const QByteArray &token, const QString &idPrefix,
    int inFlight, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_token(token)
    , m_idPrefix(idPrefix)
    , m_inFlight(inFlight)
    , m_network(std::make_unique<QNetworkAccessManager>())
{ }

SteadySubmits::~SteadySubmits()
{
    m_running = false;
    // Replies still open are children of the manager, which goes with this.
}

void SteadySubmits::start()
{
    m_running = true;
    for (int i = 0; i < m_inFlight; ++i)
        sendNext();
}

bool SteadySubmits::stop(int timeoutMs)
{
    m_running = false;
    return QTest::qWaitFor([this] { return m_open == 0; }, timeoutMs);
}

void SteadySubmits::sendNext()
{
    if (!m_running)
        return;
    const int n = m_sent++;
    ++m_open;
    QNetworkReply *reply = m_network->post(
        commandRequest(m_server,
            QStringLiteral("/shipments/%1-%2/commands/submit").arg(m_idPrefix).arg(n), m_token),
        submitBody(QStringLiteral("acct-%1").arg(n % 7), 10 + n % 90));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        record(reply, m_answers);
        reply->deleteLater();
        --m_open;
        sendNext();
    });
}

} // namespace waybill::test
