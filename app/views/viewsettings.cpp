#include "viewsettings.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QSplitter>

#include <memory>

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

void ViewSettings::offerColumns(
    QHeaderView *header, const QString &key, const QList<int> &hiddenAtFirst)
{
    for (int column : hiddenAtFirst)
        header->setSectionHidden(column, true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        header, &QHeaderView::customContextMenuRequested, header, [header, key](const QPoint &at) {
            std::unique_ptr<QMenu> menu(columnsMenu(header, key));
            menu->exec(header->viewport()->mapToGlobal(at));
        });
}

QMenu *ViewSettings::columnsMenu(QHeaderView *header, const QString &key)
{
    auto *menu = new QMenu(header);
    menu->setObjectName(QStringLiteral("columnsMenu"));
    const QAbstractItemModel *model = header->model();
    for (int column = 1; model && column < model->columnCount(); ++column) {
        QAction *action
            = menu->addAction(model->headerData(column, header->orientation()).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        QObject::connect(action, &QAction::toggled, header, [header, key, column](bool shown) {
            header->setSectionHidden(column, !shown);
            QSettings().setValue(key, header->saveState());
        });
    }
    return menu;
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
