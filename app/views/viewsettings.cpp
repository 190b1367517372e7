#include "viewsettings.h"

#include <QHeaderView>
#include <QSettings>
#include <QSplitter>

namespace waybill::app {

// Saved on every change: QSettings keeps values in memory and writes them out by itself, and a
// layout saved at once is never lost to a window closed a moment later.

void ViewSettings::keep(QHeaderView *header, const QString &key)
{
    const QByteArray saved = QSettings().value(key).toByteArray();
    if (!saved.isEmpty())
        header->restoreState(saved);
    auto save = [header, key] { QSettings().setValue(key, header->saveState()); };
    QObject::connect(header, &QHeaderView::sectionResized, header, save);
    QObject::connect(header, &QHeaderView::sectionMoved, header, save);
    QObject::connect(header, &QHeaderView::sortIndicatorChanged, header, save);
}

void ViewSettings::keep(QSplitter *splitter, const QString &key)
{
    const QByteArray saved = QSettings().value(key).toByteArray();
    if (!saved.isEmpty())
        splitter->restoreState(saved);
    QObject::connect(splitter, &QSplitter::splitterMoved, splitter,
        [splitter, key] { QSettings().setValue(key, splitter->saveState()); });
}

} // namespace waybill::app
