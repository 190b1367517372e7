// A report's table (ReportTable) for a QTableView: the cells as people read them, numbers to
// the right, the raw value under SortRole.
#pragma once

#include "reporttable.h"

#include <QAbstractTableModel>

namespace waybill::app {

class ReportTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit ReportTableModel(QObject *parent = nullptr);

    void setTable(ReportTable table);
    const ReportTable &table() const { return m_table; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    ReportTable m_table;
};

} // namespace waybill::app
