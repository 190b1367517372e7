// The audit view's proxy: narrows the log the server sent by user and by any text in the event.
#pragma once

#include <QSortFilterProxyModel>

namespace waybill::app {

class EventLogFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EventLogFilterModel(QObject *parent = nullptr);

    void setUserFilter(const QString &user);
    void setTextFilter(const QString &text);
    QString userFilter() const { return m_user; }
    QString textFilter() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_user;
    QString m_text;
};

} // namespace waybill::app
