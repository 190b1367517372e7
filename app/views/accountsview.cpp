#include "accountsview.h"

#include "accounteditor.h"
#include "client/documentloader.h"
#include "commanddialog.h"
#include "documentpreview.h"
#include "domain/invoicenumber.h"
#include "models/accountfiltermodel.h"
#include "models/accounttablemodel.h"
#include "models/statementmodel.h"
#include "presentation/moneytext.h"
#include "presentation/timetext.h"
#include "session/session.h"
#include "statementperioddialog.h"
#include "usagebardelegate.h"
#include "viewsettings.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace waybill::app {

AccountsView::AccountsView(Session *session, AccountTableModel *accounts, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_accounts(accounts)
    , m_filter(new AccountFilterModel(this))
    , m_statement(new StatementModel(session->api(), this))
    , m_statementSort(new QSortFilterProxyModel(this))
    , m_search(new QLineEdit(this))
    , m_owingOnly(new QCheckBox(tr("&Owing only"), this))
    , m_accountView(new QTableView(this))
    , m_statementView(new QTableView(this))
    , m_statementTitle(new QLabel(this))
    , m_record(new QLabel(this))
    , m_documents(new DocumentLoader(session->api(), this))
{
    setObjectName(QStringLiteral("accountsView"));
    m_statement->followLive(session->live());
    m_filter->setSourceModel(accounts);
    m_statementSort->setSourceModel(m_statement);
    m_statementSort->setSortRole(StatementModel::SortRole);

    m_search->setObjectName(QStringLiteral("accountSearch"));
    m_search->setPlaceholderText(tr("Find an account"));
    m_search->setAccessibleName(tr("Find an account"));
    m_search->setClearButtonEnabled(true);
    m_owingOnly->setObjectName(QStringLiteral("owingOnly"));
    m_owingOnly->setToolTip(tr("Show only the accounts whose invoices exceed their payments"));
    m_owingOnly->setChecked(QSettings().value(QStringLiteral("accounts/owingOnly")).toBool());
    m_filter->setOwingOnly(m_owingOnly->isChecked());
    connect(m_search, &QLineEdit::textChanged, m_filter, &AccountFilterModel::setSearchText);
    connect(m_owingOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setOwingOnly(on);
        QSettings().setValue(QStringLiteral("accounts/owingOnly"), on);
    });

    auto *tools = new QHBoxLayout;
    tools->addWidget(m_search, 1);
    tools->addWidget(m_owingOnly);
    if (session->identity().may(Capability::Payment)) {
        m_payment = new QAction(tr("Post &payment…"), this);
        m_payment->setObjectName(QStringLiteral("paymentAction"));
        m_payment->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
        m_payment->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(m_payment);
        connect(m_payment, &QAction::triggered, this, &AccountsView::openPayment);
        auto *button = new QToolButton(this);
        button->setObjectName(QStringLiteral("paymentButton"));
        button->setDefaultAction(m_payment);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        tools->addWidget(button);
    }
    if (session->identity().may(Capability::AccountRecords)) {
        m_open = addTool(tools, tr("&Open account…"), QStringLiteral("openAccountAction"),
            &AccountsView::openNew);
        m_edit = addTool(tools, tr("&Edit account…"), QStringLiteral("editAccountAction"),
            &AccountsView::openEdit);
        m_hold = addTool(
            tools, tr("Put on &hold…"), QStringLiteral("holdAction"), &AccountsView::openHold);
        m_release = addTool(tools, tr("&Release hold"), QStringLiteral("releaseAction"),
            &AccountsView::sendRelease);
    }
    if (session->identity().may(Capability::Corrections)) {
        m_credit = addTool(
            tools, tr("&Credit memo…"), QStringLiteral("creditAction"), &AccountsView::openCredit);
    }

    m_accountView->setObjectName(QStringLiteral("accountTable"));
    m_accountView->setAccessibleName(tr("Accounts"));
    m_accountView->setModel(m_filter);
    m_accountView->setItemDelegateForColumn(AccountTableModel::ExposureColumn,
        new UsageBarDelegate(AccountTableModel::LimitUseRole, this));
    // Every column fits a 1280-pixel window: the hold's reason (wrapped) takes what the others
    // leave, and the last activity is as wide as the longest date this locale writes.
    const std::pair<int, int> widths[] = { { AccountTableModel::IdColumn, 135 },
        { AccountTableModel::NameColumn, 135 }, { AccountTableModel::BalanceColumn, 90 },
        { AccountTableModel::ExposureColumn, 125 }, { AccountTableModel::LimitColumn, 90 },
        { AccountTableModel::TermsColumn, 70 }, { AccountTableModel::InvoicedColumn, 85 },
        { AccountTableModel::PaidColumn, 85 }, { AccountTableModel::InvoiceCountColumn, 65 },
        { AccountTableModel::PaymentCountColumn, 70 } };
    for (const auto &[column, width] : widths)
        m_accountView->setColumnWidth(column, width);
    // The date, or the column's title with room for the sort indicator, whichever is wider.
    const QString lastTitle
        = m_filter->headerData(AccountTableModel::LastActivityColumn, Qt::Horizontal).toString();
    m_accountView->setColumnWidth(AccountTableModel::LastActivityColumn,
        std::max(TimeText::columnWidth(m_accountView->fontMetrics()),
            m_accountView->horizontalHeader()->fontMetrics().horizontalAdvance(lastTitle) + 28));
    m_accountView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_accountView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_accountView->verticalHeader()->setVisible(false);
    m_accountView->horizontalHeader()->setStretchLastSection(false);
    m_accountView->horizontalHeader()->setSectionResizeMode(
        AccountTableModel::HoldColumn, QHeaderView::Stretch);
    m_accountView->setSortingEnabled(true);
    m_accountView->sortByColumn(AccountTableModel::IdColumn, Qt::AscendingOrder);
    // "-v2": the layouts saved before these widths (December 2026) put the last activity past
    // a 1280-pixel window's edge, and the statement's entry cut short; they are not restored.
    ViewSettings::keep(m_accountView->horizontalHeader(), QStringLiteral("accounts/columns-v2"));

    m_statementTitle->setObjectName(QStringLiteral("statementTitle"));
    QFont bold = m_statementTitle->font();
    bold.setBold(true);
    m_statementTitle->setFont(bold);
    m_statementTitle->setBuddy(m_statementView);
    m_statementView->setObjectName(QStringLiteral("statementTable"));
    m_statementView->setAccessibleName(tr("Statement"));
    m_statementView->setModel(m_statementSort);
    m_statementView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_statementView->verticalHeader()->setVisible(false);
    // The entry says what happened: it takes the width the other columns leave.
    m_statementView->horizontalHeader()->setStretchLastSection(false);
    m_statementView->horizontalHeader()->setSectionResizeMode(
        StatementModel::EntryColumn, QHeaderView::Stretch);
    m_statementView->setColumnWidth(StatementModel::UserColumn, 140);
    // The amounts are at least as wide as their titles ("Saldo resultante" in Spanish).
    for (const int column :
        { int(StatementModel::AmountColumn), int(StatementModel::BalanceColumn) }) {
        const QHeaderView *header = m_statementView->horizontalHeader();
        const int title = header->fontMetrics().horizontalAdvance(
            m_statementSort->headerData(column, Qt::Horizontal).toString());
        m_statementView->setColumnWidth(column,
            std::max(100, title + 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin) + 16));
    }
    m_statementView->setSortingEnabled(true);
    m_statementView->sortByColumn(StatementModel::DateColumn, Qt::AscendingOrder);
    m_statementView->setWordWrap(false);
    m_statementView->setColumnWidth(
        StatementModel::DateColumn, TimeText::columnWidth(m_statementView->fontMetrics()));
    ViewSettings::keep(
        m_statementView->horizontalHeader(), QStringLiteral("accounts/statementColumns-v2"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(tools);
    topLayout->addWidget(m_accountView, 1);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_statementTitle, 1);
    if (session->identity().may(Capability::Corrections)) {
        m_reverse = addTool(titleRow, tr("Re&verse payment…"), QStringLiteral("reverseAction"),
            &AccountsView::openReverse);
    }
    m_printInvoice = addTool(titleRow, tr("Print &invoice…"), QStringLiteral("printInvoiceAction"),
        &AccountsView::openInvoiceDocument);
    m_printStatement = addTool(titleRow, tr("Account &statement…"),
        QStringLiteral("statementDocumentAction"), &AccountsView::openStatementDocument);
    bottomLayout->addLayout(titleRow);
    m_record->setObjectName(QStringLiteral("accountRecord"));
    m_record->setWordWrap(true);
    m_record->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bottomLayout->addWidget(m_record);
    bottomLayout->addWidget(m_statementView, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("accountsSplitter"));
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    ViewSettings::keep(splitter, QStringLiteral("accounts/splitter"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    setTabOrder(m_search, m_owingOnly);
    setTabOrder(m_owingOnly, m_accountView);
    setTabOrder(m_accountView, m_statementView);

    connect(m_accountView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &AccountsView::onCurrentAccountChanged);
    // After a reload, keep the chosen account selected and its balance current.
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] { selectAccount(m_wanted); });
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &AccountsView::updateTitle);
    connect(m_accounts, &QAbstractItemModel::dataChanged, this, &AccountsView::updateTitle);
    connect(m_statement, &StatementModel::loaded, this, &AccountsView::updateTitle);
    connect(m_statement, &StatementModel::loadFailed, this, &AccountsView::failed);
    connect(m_statementView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &AccountsView::updateRecordActions);
    connect(m_statement, &StatementModel::loaded, this, &AccountsView::updateRecordActions);
    connect(m_accounts, &AccountTableModel::loaded, this, &AccountsView::updateRecordActions);
    onCurrentAccountChanged();
}

QAction *AccountsView::addTool(
    QLayout *tools, const QString &text, const QString &name, void (AccountsView::*slot)())
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(action);
    connect(action, &QAction::triggered, this, slot);
    auto *button = new QToolButton(this);
    button->setObjectName(name + QStringLiteral("Button"));
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addWidget(button);
    return action;
}

QString AccountsView::recordText() const
{
    return m_record->text();
}

void AccountsView::updateRecordActions()
{
    const QString id = currentAccountId();
    const AccountRow *a = m_accounts->account(id);
    if (!a) {
        m_record->clear();
    } else {
        const AccountState &s = a->state;
        QStringList parts;
        if (!s.registered)
            parts.append(tr("Never opened: known only from shipments and payments"));
        else
            parts.append(s.name);
        parts.append(tr("terms %n day(s)", nullptr, s.paymentTermsDays));
        parts.append(s.creditLimitCents
                ? tr("exposure %1 of a %2 limit")
                      .arg(MoneyText::display(a->exposureCents),
                          MoneyText::display(*s.creditLimitCents))
                : tr("exposure %1, no limit").arg(MoneyText::display(a->exposureCents)));
        if (s.onHold)
            parts.append(tr("ON HOLD: %1").arg(s.holdReason));
        parts.append(tr("version %1").arg(s.version));
        m_record->setText(parts.join(QStringLiteral(" · ")));
        m_record->setStyleSheet(
            s.onHold || a->pastLimit() ? QStringLiteral("color:#B00020;") : QString());
    }
    const auto explain = [](QAction *action, const QString &tip, const QString &reason) {
        if (!action)
            return;
        action->setEnabled(reason.isEmpty());
        action->setToolTip(reason.isEmpty() ? tip : reason);
        action->setStatusTip(action->toolTip());
    };
    const QString none = tr("Select an account first.");
    explain(m_open, tr("Open a new account, or give a known one its record"), {});
    if (!a) {
        for (QAction *action :
            { m_edit, m_hold, m_release, m_credit, m_reverse, m_printInvoice, m_printStatement })
            explain(action, {}, none);
        return;
    }
    const qint64 invoice = selectedInvoiceNumber();
    explain(m_printInvoice,
        tr("Preview, print or save as PDF invoice %1").arg(invoiceNumberText(invoice)),
        invoice > 0 ? QString() : tr("Select an invoice on the statement."));
    explain(m_printStatement,
        tr("Preview, print or save as PDF the statement of account %1 for a period").arg(id), {});
    const AccountState &s = a->state;
    explain(m_edit,
        s.registered ? tr("Change the name, address, terms or limit of account %1").arg(id)
                     : tr("Open account %1: give it a name, address, terms and limit").arg(id),
        {});
    if (m_edit)
        m_edit->setText(s.registered ? tr("&Edit account…") : tr("&Open this account…"));
    explain(m_hold, tr("Refuse new shipments billed to account %1 until released").arg(id),
        !s.registered  ? tr("Account %1 was never opened; open it first.").arg(id)
            : s.onHold ? tr("Account %1 is on hold already.").arg(id)
                       : QString());
    explain(m_release, tr("Accept shipments billed to account %1 again").arg(id),
        s.onHold ? QString() : tr("Account %1 is not on hold.").arg(id));
    explain(m_credit, tr("Credit account %1, saying why").arg(id), {});
    const QModelIndex entry = m_statementView->currentIndex();
    explain(m_reverse, tr("Reverse the payment selected on the statement"),
        entry.data(StatementModel::ReversibleRole).toBool()
            ? QString()
            : tr("Select a payment on the statement that is not reversed yet."));
}

std::optional<int> AccountsView::shownVersion() const
{
    const AccountRow *a = m_accounts->account(currentAccountId());
    return a ? std::optional<int>(a->state.version) : std::nullopt;
}

void AccountsView::openNew()
{
    openEditor(true);
}

void AccountsView::openEdit()
{
    openEditor(false);
}

void AccountsView::openEditor(bool newAccount)
{
    const AccountRow *a = newAccount ? nullptr : m_accounts->account(currentAccountId());
    if (!newAccount && !a)
        return;
    auto *editor = new AccountEditor(m_session, a, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &AccountEditor::succeeded, this, [this](const QString &message) {
        Q_EMIT succeeded(message);
        m_accounts->reloadSoon();
    });
    editor->open();
}

CommandDialog *AccountsView::openCommand(CommandDialogSpec spec)
{
    spec.entityId = currentAccountId();
    spec.expectedVersion = shownVersion();
    auto *dialog = new CommandDialog(m_session, spec, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CommandDialog::succeeded, this, &AccountsView::succeeded);
    dialog->open();
    return dialog;
}

void AccountsView::openHold()
{
    const QString id = currentAccountId();
    if (id.isEmpty() || !m_hold->isEnabled())
        return;
    CommandDialogSpec spec;
    spec.type = CommandType::Hold;
    spec.title = tr("Put an account on hold");
    spec.explanation = tr("While account %1 is on hold, new shipments billed to it are refused "
                          "and amendments that bill it more are too.")
                           .arg(id);
    spec.fields
        = { { QStringLiteral("reason"), tr("&Reason:"), tr("e.g. Invoices 60 days overdue") } };
    spec.submitText = tr("Put on hold");
    openCommand(spec);
}

void AccountsView::sendRelease()
{
    const QString id = currentAccountId();
    if (id.isEmpty() || !m_release->isEnabled())
        return;
    m_session->commands()->sendAndTell({ CommandType::Release, id, {}, shownVersion() }, this);
}

void AccountsView::openCredit()
{
    const QString id = currentAccountId();
    if (id.isEmpty() || !m_credit->isEnabled())
        return;
    CommandDialogSpec spec;
    spec.type = CommandType::Credit;
    spec.title = tr("Credit memo");
    spec.explanation = tr("Credit account %1: the amount is taken off what it owes, first from "
                          "the shipment's invoice when you name one.")
                           .arg(id);
    CommandField shipment { QStringLiteral("shipmentId"), tr("For &shipment:"),
        tr("optional, e.g. S-1001") };
    shipment.optional = true;
    spec.fields = { { QStringLiteral("amount"), tr("&Amount ($):"), tr("e.g. 45.00") },
        { QStringLiteral("reason"), tr("&Reason:"), tr("e.g. Damaged on delivery") }, shipment };
    spec.submitText = tr("Credit");
    openCommand(spec);
}

void AccountsView::openReverse()
{
    const QString id = currentAccountId();
    const QModelIndex entry = m_statementView->currentIndex();
    if (id.isEmpty() || !m_reverse->isEnabled() || !entry.isValid())
        return;
    const QString amount = entry.siblingAtColumn(StatementModel::AmountColumn).data().toString();
    const QString when = entry.siblingAtColumn(StatementModel::DateColumn).data().toString();
    CommandDialogSpec spec;
    spec.type = CommandType::ReversePayment;
    spec.title = tr("Reverse a payment");
    spec.explanation = tr("Reverse the payment of %1 recorded on %2 on account %3. The payment "
                          "stays in the history; the reversal takes it off the balance.")
                           .arg(amount, when, id);
    spec.fixedBody = { { QStringLiteral("paymentCommandId"),
        entry.data(StatementModel::CommandIdRole).toString() } };
    spec.fields = { { QStringLiteral("reason"), tr("&Reason:"),
        tr("e.g. Keyed as $1,000 instead of $100") } };
    spec.submitText = tr("Reverse payment");
    openCommand(spec);
}

qint64 AccountsView::selectedInvoiceNumber() const
{
    const QModelIndex entry = m_statementSort->mapToSource(m_statementView->currentIndex());
    const StatementRow *row = entry.isValid() ? m_statement->rowAt(entry.row()) : nullptr;
    if (!row || row->event.type != EventType::Invoiced)
        return 0;
    return invoiceNumberOf(row->event.data.value(QStringLiteral("invoiceNumber")).toString());
}

void AccountsView::openInvoiceDocument()
{
    const qint64 number = selectedInvoiceNumber();
    if (number > 0)
        printInvoice(number);
}

void AccountsView::openStatementDocument()
{
    const QString id = currentAccountId();
    if (id.isEmpty())
        return;
    auto *dialog = new StatementPeriodDialog(id, QDateTime::currentDateTimeUtc().date(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, dialog] { printStatement(dialog->from(), dialog->to()); });
    dialog->open();
}

void AccountsView::printInvoice(qint64 invoiceNumber)
{
    const QString id = currentAccountId();
    if (id.isEmpty())
        return;
    m_documents->loadInvoice(id, invoiceNumber,
        [this](const std::optional<documents::PrintableDocument> &document, const QString &error) {
            if (document)
                Q_EMIT documentOpened(DocumentPreview::open(*document, this));
            else
                Q_EMIT failed(error);
        });
}

void AccountsView::printStatement(const QDate &from, const QDate &to)
{
    const QString id = currentAccountId();
    if (id.isEmpty())
        return;
    m_documents->loadStatement(id, from, to,
        [this](const std::optional<documents::PrintableDocument> &document, const QString &error) {
            if (document)
                Q_EMIT documentOpened(DocumentPreview::open(*document, this));
            else
                Q_EMIT failed(error);
        });
}

QString AccountsView::currentAccountId() const
{
    return m_accountView->currentIndex().data(AccountTableModel::IdRole).toString();
}

void AccountsView::selectAccount(const QString &id)
{
    m_wanted = id;
    if (id.isEmpty())
        return;
    const int row = m_accounts->rowOfKey(id);
    if (row < 0)
        return;
    const QModelIndex index = m_filter->mapFromSource(m_accounts->index(row, 0));
    if (index.isValid() && index.row() != m_accountView->currentIndex().row()) {
        m_accountView->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_accountView->scrollTo(index);
    }
}

void AccountsView::onCurrentAccountChanged()
{
    const QString id = currentAccountId();
    if (!id.isEmpty())
        m_wanted = id;
    m_statement->setAccount(id);
    updateRecordActions();
    if (m_payment) {
        m_payment->setEnabled(!id.isEmpty());
        m_payment->setToolTip(id.isEmpty() ? tr("Select an account first.")
                                           : tr("Post a payment received from account %1").arg(id));
    }
    updateTitle();
}

void AccountsView::updateTitle()
{
    const QString id = m_statement->account();
    if (id.isEmpty()) {
        m_statementTitle->setText(tr("Select an account to see its statement."));
        return;
    }
    const int row = m_accounts->rowOfKey(id);
    const Cents balance = row < 0
        ? 0
        : m_accounts->index(row, 0).data(AccountTableModel::BalanceCentsRole).toLongLong();
    m_statementTitle->setText(balance < 0
            ? tr("Statement of %1: owes %2").arg(id, MoneyText::display(-balance))
            : tr("Statement of %1: balance %2").arg(id, MoneyText::display(balance)));
}

QString AccountsView::statementTitle() const
{
    return m_statementTitle->text();
}

void AccountsView::openPayment()
{
    const QString id = currentAccountId();
    if (id.isEmpty())
        return;
    CommandDialogSpec spec;
    spec.type = CommandType::Payment;
    spec.entityId = id;
    spec.title = tr("Post a payment");
    spec.explanation = tr("Record money received from account %1. It is added to the account's "
                          "balance.")
                           .arg(id);
    spec.fields = { { QStringLiteral("amount"), tr("&Amount ($):"), tr("e.g. 120.50") } };
    spec.submitText = tr("Post payment");
    auto *dialog = new CommandDialog(m_session, spec, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CommandDialog::succeeded, this, &AccountsView::succeeded);
    dialog->open();
}

} // namespace waybill::app
