#include "datamover.h"

#include "audit/historycopy.h"
#include "store/database.h"
#include "store/databaseurl.h"
#include "store/sql.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>

namespace waybill::app {

namespace {

class MoverText final
{
    Q_DECLARE_TR_FUNCTIONS(DataMover)
};

} // namespace

DataMover::DataMover(QObject *parent)
    : QObject(parent)
{ }

DataMover::~DataMover()
{
    m_thread.quit();
    m_thread.wait();
}

QString DataMover::checkTargetUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(QLatin1String("postgresql://"))
        && !trimmed.startsWith(QLatin1String("postgres://")))
        return MoverText::tr("Give the address of the server's PostgreSQL database, as "
                             "postgresql://user@host:port/dbname");
    QString why;
    if (!DatabaseUrl::parse(trimmed, &why))
        return why;
    return {};
}

QString DataMover::displayUrl(const QString &text)
{
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(text.trimmed(), nullptr);
    return url ? url->toDisplayString() : QString();
}

void DataMover::start(const QString &sourceFile, const QString &targetUrl)
{
    if (m_thread.isRunning())
        return;
    const QString why = checkTargetUrl(targetUrl);
    if (!why.isEmpty()) {
        Q_EMIT finished(false, false, why);
        return;
    }
    const DatabaseUrl target = *DatabaseUrl::parse(targetUrl.trimmed(), nullptr);
    const DatabaseUrl source = DatabaseUrl::sqlite(sourceFile);
    QPointer<DataMover> self(this);
    // The copy runs in a functor queued to an object of the thread (deleted when it ends); the
    // destructor waits for the thread, so the copy never outlives this object.
    QObject *worker = new QObject;
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(worker, [self, source, target, this] {
        bool ok = false;
        bool refused = false;
        QString message;
        try {
            // Its own connections, opened and closed on this thread.
            Database from(source);
            Database to(target);
            int lastPercent = -1;
            const Audit::CopyResult result
                = Audit::copyHistory(from, to, [&](const Audit::CopyProgress &p) {
                      const int percent = p.total > 0 ? int(p.rows * 100 / p.total) : 100;
                      QString what;
                      switch (p.stage) {
                      case Audit::CopyProgress::Stage::Copying:
                          if (percent == lastPercent && !p.tableBegins)
                              return;
                          what = MoverText::tr("Copying %1…").arg(p.table);
                          break;
                      case Audit::CopyProgress::Stage::Verifying:
                          what = MoverText::tr("Checking the copy…");
                          break;
                      case Audit::CopyProgress::Stage::Done:
                          what = MoverText::tr("Done");
                          break;
                      }
                      lastPercent = percent;
                      QMetaObject::invokeMethod(this, [self, percent, what] {
                          if (self)
                              Q_EMIT self->progressed(percent, what);
                      });
                  });
            from.closeConnection();
            to.closeConnection();
            ok = result.ok;
            refused = result.refused;
            message = result.ok
                ? MoverText::tr("Moved %1 events to %2. The copy's hash chain is intact up to "
                                "position %3.")
                      .arg(result.events)
                      .arg(target.toDisplayString())
                      .arg(result.lastPosition)
                : result.error;
        } catch (const StoreError &e) {
            message = MoverText::tr("The move failed: %1").arg(e.message());
        }
        QMetaObject::invokeMethod(this, [self, ok, refused, message] {
            if (!self)
                return;
            self->m_thread.quit();
            self->m_thread.wait();
            Q_EMIT self->finished(ok, refused, message);
        });
    });
}

} // namespace waybill::app
