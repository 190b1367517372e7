// Finance's view: accounts with their balances, the selected account's statement of invoices
// and payments, and posting a payment.
#pragma once

#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace waybill::app {

class AccountFilterModel;
class AccountTableModel;
class Session;
class StatementModel;

class AccountsView final : public QWidget
{
    Q_OBJECT
public:
    AccountsView(Session *session, AccountTableModel *accounts, QWidget *parent = nullptr);

    QTableView *accountView() const { return m_accountView; }
    QTableView *statementView() const { return m_statementView; }
    StatementModel *statement() const { return m_statement; }
    AccountFilterModel *accountFilter() const { return m_filter; }
    // Absent (nullptr) for roles that may not post payments.
    QAction *paymentAction() const { return m_payment; }
    QString currentAccountId() const;
    void selectAccount(const QString &id);
    QString statementTitle() const;

Q_SIGNALS:
    void succeeded(const QString &message);
    void failed(const QString &message);

private:
    void onCurrentAccountChanged();
    void updateTitle();
    void openPayment();

    Session *m_session;
    AccountTableModel *m_accounts;
    AccountFilterModel *m_filter;
    StatementModel *m_statement;
    QSortFilterProxyModel *m_statementSort;
    QLineEdit *m_search;
    QCheckBox *m_owingOnly;
    QTableView *m_accountView;
    QTableView *m_statementView;
    QLabel *m_statementTitle;
    QAction *m_payment = nullptr;
    QString m_wanted;
};

} // namespace waybill::app
