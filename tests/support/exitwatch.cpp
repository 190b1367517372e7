#include "exitwatch.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include <execinfo.h>
#include <pthread.h>
#include <unistd.h>

namespace waybill::test {

namespace {

std::atomic<bool> g_armed { false };
pthread_t g_mainThread;

void writeStderr(const QByteArray &text)
{
    const char *data = text.constData();
    qsizetype left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, data, size_t(left));
        if (n <= 0)
            return;
        data += n;
        left -= n;
    }
}

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray("?");
    return file.read(4096).trimmed().replace('\0', ' ');
}

// Runs on the main thread when the watch expires: its own stack, as far as it can be read.
void writeMainStack(int)
{
    void *frames[64];
    const int depth = ::backtrace(frames, 64);
    static const char title[] = "-- the main thread's stack:\n";
    (void)!::write(STDERR_FILENO, title, sizeof title - 1);
    ::backtrace_symbols_fd(frames, depth, STDERR_FILENO);
}

void report(int seconds)
{
    QByteArray text = "\n== waybill test support: the process still runs "
        + QByteArray::number(seconds)
        + " s after its tests ended; where each thread waits (name, kernel wait channel, "
          "system call):\n";
    const QString self = QStringLiteral("/proc/self/task");
    const QStringList tasks = QDir(self).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &tid : tasks) {
        const QString dir = self + QLatin1Char('/') + tid;
        text += "   " + tid.toLatin1() + ' ' + readSmallFile(dir + QStringLiteral("/comm")) + ": "
            + readSmallFile(dir + QStringLiteral("/wchan")) + " | "
            + readSmallFile(dir + QStringLiteral("/syscall")) + '\n';
    }
    text += "-- its children (pid, state, command line):\n";
    const QByteArray ownPid = QByteArray::number(qint64(::getpid()));
    const QStringList processes = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &pid : processes) {
        bool numeric = false;
        pid.toLongLong(&numeric);
        if (!numeric)
            continue;
        // stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after its ')'.
        const QByteArray stat = readSmallFile(QStringLiteral("/proc/%1/stat").arg(pid));
        const QList<QByteArray> rest = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1 && rest.at(1) == ownPid) {
            text += "   " + pid.toLatin1() + ' ' + rest.at(0) + ' '
                + readSmallFile(QStringLiteral("/proc/%1/cmdline").arg(pid)) + '\n';
        }
    }
    writeStderr(text);
}

void startTheClock()
{
    bool set = false;
    const int given = qEnvironmentVariableIntValue("WAYBILL_TEST_END_SECONDS", &set);
    const int seconds = set && given > 0 ? given : 60;
    g_mainThread = ::pthread_self();
    {
        // backtrace() loads its unwinder on first use; not in a signal handler.
        void *frame[1];
        ::backtrace(frame, 1);
    }
    struct sigaction action = {};
    action.sa_handler = &writeMainStack;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGUSR2, &action, nullptr);
    // Detached: when the process ends in time, the watch simply ends with it.
    std::thread([seconds] {
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        report(seconds);
        ::pthread_kill(g_mainThread, SIGUSR2);
        std::this_thread::sleep_for(std::chrono::seconds(2));
        static const char last[] = "== ending the process (exit code 70)\n";
        (void)!::write(STDERR_FILENO, last, sizeof last - 1);
        ::_exit(70);
    }).detach();
}

} // namespace

void watchTheProcessEnd()
{
    if (!g_armed.exchange(true))
        qAddPostRoutine(&startTheClock);
}

} // namespace waybill::test
