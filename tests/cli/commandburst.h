// Clients for the tests of several servers: a burst of commands posted at once, and a steady
// stream of them kept going while servers come and go.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVector>

#include <functional>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
QT_END_NAMESPACE

namespace waybill::test {

struct CommandPost
{
    QString path; // "/shipments/ID/commands/submit"
    QByteArray body;
};

struct BurstAnswers
{
    QStringList acknowledged; // the commandId of every 202
    QStringList refused; // "PATH: STATUS BODY" of every other HTTP answer
    QStringList unanswered; // "PATH: why" of every request that got no HTTP answer at all

    // The first few refused and unanswered requests, for a failed check's message.
    QString describe() const
    {
        return (refused.mid(0, 5) + unanswered.mid(0, 5)).join(QLatin1Char('\n'));
    }
};

// Posts every command at once, pipelined over several connections (as a busy office would), and
// waits up to timeoutMs for every answer. onAcknowledged runs after each 202 with the number of
// 202s so far (a test may kill the server there: the requests still open are then unanswered).
BurstAnswers postBurst(const QUrl &server, const QByteArray &token,
    const QVector<CommandPost> &posts, int timeoutMs = 60000,
    const std::function<void(int)> &onAcknowledged = {});

// Keeps a fixed number of submits in flight, each with a new shipment id, until stop(): every
// answer starts the next request. For proving that requests keep succeeding while servers
// behind a balancer drain.
class SteadySubmits final : public QObject
{
    Q_OBJECT
public:
    SteadySubmits(const QUrl &server, const QByteArray &token, const QString &idPrefix,
        int inFlight, QObject *parent = nullptr);
    ~SteadySubmits() override;

    void start();
    // Sends nothing more and waits (event loop running) up to timeoutMs for the open requests;
    // false if some are still open then.
    bool stop(int timeoutMs = 30000);
    int sent() const { return m_sent; }
    const BurstAnswers &answers() const { return m_answers; }

private:
    void sendNext();

    QUrl m_server;
    QByteArray m_token;
    QString m_idPrefix;
    int m_inFlight;
    bool m_running = false;
    int m_sent = 0;
    int m_open = 0;
    std::unique_ptr<QNetworkAccessManager> m_network;
    BurstAnswers m_answers;
};

} // namespace waybill::test
