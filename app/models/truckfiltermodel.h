// The dispatch view's proxy over trucks: all, only available or only occupied, and a search.
#pragma once

#include <QSortFilterProxyModel>

namespace waybill::app {

class TruckFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class Show { All, Available, Occupied, OutOfService };

    explicit TruckFilterModel(QObject *parent = nullptr);

    void setShow(Show show);
    Show show() const { return m_show; }
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Show m_show = Show::All;
    QString m_search;
};

} // namespace waybill::app
