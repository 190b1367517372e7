// Renders each main view to a PNG file from a freshly seeded demo database (for the README):
// waybill --render-screenshots DIR [--language es].
#pragma once

#include <QCoreApplication>
#include <QString>

#include <functional>

class QWidget;

namespace waybill::app {

class ScreenshotRenderer final
{
    Q_DECLARE_TR_FUNCTIONS(ScreenshotRenderer)
public:
    explicit ScreenshotRenderer(QString outputDir);
    // Returns the process exit code; says what it wrote, or what failed, on the console.
    int run();

private:
    // Runs the event loop until done() holds, or the time runs out (false).
    static bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000);
    bool save(QWidget *widget, const QString &name);

    QString m_outputDir;
    QStringList m_written;
};

} // namespace waybill::app
