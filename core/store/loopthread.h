// A thread of its own that runs passes of work, one at a time, whenever it is woken (and, with a
// poll interval, at least that often) until it is stopped: the inbox's, the invoicer's, the lease's
// and the SQLite checkpointer's thread.
#pragma once

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <functional>
#include <memory>

namespace waybill {

class LoopThread final
{
public:
    enum class AtStop {
        LastPass, // one more pass once stop() is asked: work handed over before it is done
        NoPass // a wake still pending at stop() is dropped
    };
    using Work = std::function<void()>;

    // pass runs on the thread named name for every wake (and after pollMs without one, unless
    // pollMs is -1); finished runs there last, as the thread ends.
    LoopThread(QString name, AtStop atStop, Work pass, Work finished, int pollMs = -1);
    ~LoopThread(); // stop()
    Q_DISABLE_COPY_MOVE(LoopThread)

    // Starts the thread; does nothing when it runs already.
    void start();
    // Lets the pass in flight finish (and the last one, with AtStop::LastPass), then ends the
    // thread and waits for it. Does nothing when it is not running.
    void stop();
    // Thread-safe: asks for a pass soon. A wake while a pass runs gives one more pass after it.
    void wake();

private:
    void run();

    const QString m_name;
    const AtStop m_atStop;
    const Work m_pass;
    const Work m_finished;
    const int m_pollMs;
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stopping = false;
    bool m_woken = false;
    std::unique_ptr<QThread> m_thread;
};

} // namespace waybill
