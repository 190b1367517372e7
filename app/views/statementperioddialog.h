// Asks for the days an account statement covers (from the first to the last, inclusive, UTC).
#pragma once

#include <QDate>
#include <QDialog>

class QDateEdit;

namespace waybill::app {

class StatementPeriodDialog final : public QDialog
{
    Q_OBJECT
public:
    // Offers this month so far, up to today.
    StatementPeriodDialog(const QString &accountId, const QDate &today, QWidget *parent = nullptr);

    QDate from() const;
    QDate to() const;
    void setPeriod(const QDate &from, const QDate &to);

private:
    QDateEdit *m_from;
    QDateEdit *m_to;
};

} // namespace waybill::app
