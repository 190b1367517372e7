// The Reports window's screenshots: each report of the demo office as of today, chart over
// table, at 1280x800.
#pragma once

#include "planboardshots.h"

namespace waybill::app {

class ReportShots final
{
public:
    // The names of the pictures it writes.
    static QStringList names();
    // Returns how many pictures were written.
    static int render(
        MainWindow &window, const PlanboardShots::Save &save, const PlanboardShots::Wait &wait);
};

} // namespace waybill::app
