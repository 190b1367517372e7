// The planboard's screenshots: the demo office's loads given windows across the week (and a
// few more loads), then the board in week view, a drop being refused as it is dragged, and the
// summary of moving every load off the broken-down truck.
#pragma once

#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

namespace waybill::app {

class MainWindow;
class Session;

class PlanboardShots final
{
public:
    using Save = std::function<bool(QWidget *widget, const QString &name)>;
    using Wait = std::function<bool(const std::function<bool()> &done, int timeoutMs)>;

    // The names of the pictures it writes.
    static QStringList names();
    // Returns how many pictures were written.
    static int render(MainWindow &window, Session &session, const Save &save, const Wait &wait);
};

} // namespace waybill::app
