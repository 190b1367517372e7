#include "viewsettings.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QMenu>
#include <QPointer>
#include <QSettings>
#include <QSplitter>
#include <QTableView>

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

namespace {
// Tells a column the user sized by hand (dragging an edge) from one the view sized itself.
class HandResizeWatch final : public QObject
{
public:
    explicit HandResizeWatch(QHeaderView *header)
        : QObject(header)
    {
        header->viewport()->installEventFilter(this);
        connect(header, &QHeaderView::sectionResized, this, [this] {
            if (m_pressed)
                m_byHand = true;
        });
    }
    bool byHand() const { return m_byHand; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::MouseButtonPress)
            m_pressed = true;
        else if (event->type() == QEvent::MouseButtonRelease)
            m_pressed = false;
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_pressed = false;
    bool m_byHand = false;
};
} // namespace

std::function<void()> ViewSettings::columnFitter(QTableView *view)
{
    QPointer<HandResizeWatch> watch = new HandResizeWatch(view->horizontalHeader());
    QPointer<QTableView> guarded = view;
    return [watch, guarded] {
        if (guarded && watch && !watch->byHand())
            guarded->resizeColumnsToContents();
    };
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
