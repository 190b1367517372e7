#include "loopthread.h"

namespace waybill {

LoopThread::LoopThread(QString name, AtStop atStop, Work pass, Work finished, int pollMs)
    : m_name(std::move(name))
    , m_atStop(atStop)
    , m_pass(std::move(pass))
    , m_finished(std::move(finished))
    , m_pollMs(pollMs)
{ }

LoopThread::~LoopThread()
{
    stop();
}

void LoopThread::start()
{
    QMutexLocker lock(&m_mutex);
    if (m_thread)
        return;
    m_stopping = false;
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(m_name);
    m_thread->start();
}

void LoopThread::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_thread)
            return;
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
    m_thread.reset();
}

void LoopThread::wake()
{
    QMutexLocker lock(&m_mutex);
    m_woken = true;
    m_wake.wakeAll();
}

void LoopThread::run()
{
    for (bool last = false; !last;) {
        {
            QMutexLocker lock(&m_mutex);
            if (m_pollMs < 0) {
                while (!m_woken && !m_stopping)
                    m_wake.wait(&m_mutex);
            } else if (!m_woken && !m_stopping) {
                m_wake.wait(&m_mutex, m_pollMs);
            }
            m_woken = false;
            if (m_stopping) {
                if (m_atStop == AtStop::NoPass)
                    break;
                last = true;
            }
        }
        m_pass();
    }
    m_finished();
}

} // namespace waybill
