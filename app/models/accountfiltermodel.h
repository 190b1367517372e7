// The accounts view's proxy: search by account id, and sorting by the numbers, not their text.
#pragma once

#include <QSortFilterProxyModel>

namespace waybill::app {

class AccountFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit AccountFilterModel(QObject *parent = nullptr);

    void setSearchText(const QString &text);
    // Only accounts that owe money.
    void setOwingOnly(bool owingOnly);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_search;
    bool m_owingOnly = false;
};

} // namespace waybill::app
