#include "faultinjection.h"

#ifndef WAYBILL_FAULT_INJECTION
#error "faultinjection.cpp belongs to the test build of the engine only (waybill-engine-faults)"
#endif

#include <QByteArray>
#include <QtGlobal>

#include <atomic>
#include <cstring>
#include <unistd.h>

namespace waybill::Fault {

namespace {
struct Armed
{
    QByteArray name;
    int after = 1;
    std::atomic<int> hits { 0 };
    Armed()
        : name(qgetenv("WAYBILL_FAULT"))
    {
        bool ok = false;
        const int n = qEnvironmentVariableIntValue("WAYBILL_FAULT_AFTER", &ok);
        if (ok && n > 0)
            after = n;
    }
};

Armed &armed()
{
    static Armed a;
    return a;
}
} // namespace

void point(Point name)
{
    Armed &a = armed();
    if (a.name.isEmpty() || std::strcmp(a.name.constData(), name) != 0)
        return;
    if (++a.hits >= a.after)
        ::_exit(86);
}

} // namespace waybill::Fault
