// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal on the thread that owns the watcher. The
// handler only writes one byte to a pipe (all a signal handler may safely do); a QSocketNotifier on
// the other end of the pipe reports it from the event loop.
#pragma once

#include <QObject>

#include <memory>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace waybill::cli {

class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    // Puts the previous handlers back.
    ~SignalWatcher() override;
    Q_DISABLE_COPY_MOVE(SignalWatcher)

    // Installs the handlers; only one watcher may be installed at a time.
    bool install(QString *error);

Q_SIGNALS:
    void received(int signalNumber);

private:
    void readPipe();

    std::unique_ptr<QSocketNotifier> m_notifier;
    bool m_installed = false;
};

} // namespace waybill::cli
