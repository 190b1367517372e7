#include "accountsview.h"

#include "commanddialog.h"
#include "models/accountfiltermodel.h"
#include "models/accounttablemodel.h"
#include "models/statementmodel.h"
#include "presentation/moneytext.h"
#include "session/session.h"
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
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

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

    m_accountView->setObjectName(QStringLiteral("accountTable"));
    m_accountView->setAccessibleName(tr("Accounts"));
    m_accountView->setModel(m_filter);
    m_accountView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_accountView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_accountView->verticalHeader()->setVisible(false);
    m_accountView->horizontalHeader()->setStretchLastSection(true);
    m_accountView->setSortingEnabled(true);
    m_accountView->sortByColumn(AccountTableModel::IdColumn, Qt::AscendingOrder);
    ViewSettings::keep(m_accountView->horizontalHeader(), QStringLiteral("accounts/columns"));

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
    m_statementView->horizontalHeader()->setStretchLastSection(true);
    m_statementView->setSortingEnabled(true);
    m_statementView->sortByColumn(StatementModel::DateColumn, Qt::AscendingOrder);
    m_statementView->setColumnWidth(StatementModel::EntryColumn, 260);
    ViewSettings::keep(
        m_statementView->horizontalHeader(), QStringLiteral("accounts/statementColumns"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(tools);
    topLayout->addWidget(m_accountView, 1);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_statementTitle);
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
    onCurrentAccountChanged();
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
