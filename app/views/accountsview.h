// Finance's view: accounts with their balances, the selected account's statement of invoices
// and payments, and posting a payment.
#pragma once

#include "documentpreview.h"

#include <QDate>
#include <QWidget>

#include <optional>

class QAction;
class QCheckBox;
class QLayout;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace waybill::app {

class AccountFilterModel;
class DocumentLoader;
class CommandDialog;
struct CommandDialogSpec;
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
    // Absent (nullptr) for roles that may not keep account records or correct them.
    QAction *openAction() const { return m_open; }
    QAction *editAction() const { return m_edit; }
    QAction *holdAction() const { return m_hold; }
    QAction *releaseAction() const { return m_release; }
    QAction *creditAction() const { return m_credit; }
    QAction *reverseAction() const { return m_reverse; }
    // Every role that reads: the invoice selected on the statement, and a statement of a period.
    QAction *printInvoiceAction() const { return m_printInvoice; }
    QAction *statementDocumentAction() const { return m_printStatement; }
    // Reads the document from the server and shows it in a print preview (documentOpened).
    void printInvoice(qint64 invoiceNumber);
    void printStatement(const QDate &from, const QDate &to);
    // The selected account's record in words (name, terms, limit, hold).
    QString recordText() const;
    QString currentAccountId() const;
    void selectAccount(const QString &id);
    QString statementTitle() const;

Q_SIGNALS:
    void succeeded(const QString &message);
    void failed(const QString &message);
    // A document's preview is on screen, to print or save as PDF.
    void documentOpened(DocumentPreview *preview);

private:
    void onCurrentAccountChanged();
    void updateTitle();
    void openPayment();
    void openNew();
    void openEdit();
    void openEditor(bool newAccount);
    // The version of the selected account as the list shows it (If-Match).
    std::optional<int> shownVersion() const;
    CommandDialog *openCommand(CommandDialogSpec spec);
    void openHold();
    void sendRelease();
    void openCredit();
    void openReverse();
    void openInvoiceDocument();
    void openStatementDocument();
    // The invoice number of the statement's selected entry; 0 when it is no numbered invoice.
    qint64 selectedInvoiceNumber() const;
    void updateRecordActions();
    QAction *addTool(
        QLayout *tools, const QString &text, const QString &name, void (AccountsView::*slot)());

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
    QLabel *m_record;
    QAction *m_payment = nullptr;
    QAction *m_open = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_hold = nullptr;
    QAction *m_release = nullptr;
    QAction *m_credit = nullptr;
    QAction *m_reverse = nullptr;
    QAction *m_printInvoice = nullptr;
    QAction *m_printStatement = nullptr;
    DocumentLoader *m_documents;
    QString m_wanted;
};

} // namespace waybill::app
