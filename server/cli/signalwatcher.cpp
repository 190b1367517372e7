#include "signalwatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iterator>
#include <sys/socket.h>
#include <unistd.h>

namespace waybill::cli {

namespace {

// [0]: read by the notifier, [1]: written by the handler. Process-wide, as signal dispositions are.
int g_pipe[2] = { -1, -1 };
constexpr int kWatched[] = { SIGINT, SIGTERM, SIGHUP };
struct sigaction g_previous[std::size(kWatched)];

extern "C" void onSignal(int signalNumber)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    // Non-blocking: if the pipe is full, signals are already waiting to be read, and that is
    // enough.
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}

QString systemError(const char *what)
{
    return QCoreApplication::translate("SignalWatcher", "cannot watch for signals (%1: %2)")
        .arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno)));
}

} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{ }

SignalWatcher::~SignalWatcher()
{
    if (!m_installed)
        return;
    for (size_t i = 0; i < std::size(kWatched); ++i)
        ::sigaction(kWatched[i], &g_previous[i], nullptr);
    m_notifier.reset();
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

bool SignalWatcher::install(QString *error)
{
    if (m_installed || g_pipe[0] >= 0) {
        if (error)
            *error
                = QCoreApplication::translate("SignalWatcher", "signals are already being watched");
        return false;
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, g_pipe) != 0) {
        if (error)
            *error = systemError("socketpair");
        return false;
    }
    m_notifier = std::make_unique<QSocketNotifier>(g_pipe[0], QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &SignalWatcher::readPipe);

    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (size_t i = 0; i < std::size(kWatched); ++i) {
        if (::sigaction(kWatched[i], &action, &g_previous[i]) != 0) {
            if (error)
                *error = systemError("sigaction");
            for (size_t j = 0; j < i; ++j)
                ::sigaction(kWatched[j], &g_previous[j], nullptr);
            m_notifier.reset();
            ::close(g_pipe[0]);
            ::close(g_pipe[1]);
            g_pipe[0] = g_pipe[1] = -1;
            return false;
        }
    }
    m_installed = true;
    return true;
}

void SignalWatcher::readPipe()
{
    unsigned char bytes[16];
    for (;;) {
        const ssize_t count = ::read(g_pipe[0], bytes, sizeof bytes);
        if (count <= 0)
            break;
        for (ssize_t i = 0; i < count; ++i)
            Q_EMIT received(int(bytes[i]));
    }
}

} // namespace waybill::cli
