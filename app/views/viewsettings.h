// Remembers how the user arranged things (column widths and order, sort, splitters) in QSettings.
#pragma once

#include <QList>
#include <QString>

#include <functional>

class QHeaderView;
class QTableView;
class QMenu;
class QSplitter;

namespace waybill::app {

class ViewSettings final
{
public:
    // Restores the header's layout under this key, and saves it whenever the user changes it.
    static void keep(QHeaderView *header, const QString &key);
    static void keep(QSplitter *splitter, const QString &key);
    // The header's context menu shows and hides the columns (all but the first, which names the
    // row), remembered under the key that keep() uses, so call keep() after this (a layout the
    // user saved then wins). hiddenAtFirst: the columns hidden until the user shows them.
    static void offerColumns(
        QHeaderView *header, const QString &key, const QList<int> &hiddenAtFirst = {});
    // A call that fits the view's columns to what they show, until the user drags a column's
    // edge: from then on the user's widths stay. Call it whenever new rows are shown.
    static std::function<void()> columnFitter(QTableView *view);
    // That menu: one checkable action per column; the caller owns it.
    static QMenu *columnsMenu(QHeaderView *header, const QString &key);
};

} // namespace waybill::app
