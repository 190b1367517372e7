// Remembers how the user arranged things (column widths and order, sort, splitters) in QSettings.
#pragma once

#include <QString>

class QHeaderView;
class QSplitter;

namespace waybill::app {

class ViewSettings final
{
public:
    // Restores the header's layout under this key, and saves it whenever the user changes it.
    static void keep(QHeaderView *header, const QString &key);
    static void keep(QSplitter *splitter, const QString &key);
};

} // namespace waybill::app
