#include "statementperioddialog.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

namespace waybill::app {

StatementPeriodDialog::StatementPeriodDialog(
    const QString &accountId, const QDate &today, QWidget *parent)
    : QDialog(parent)
    , m_from(new QDateEdit(QDate(today.year(), today.month(), 1), this))
    , m_to(new QDateEdit(today, this))
{
    setObjectName(QStringLiteral("statementPeriodDialog"));
    setWindowTitle(tr("Statement of account %1").arg(accountId));
    for (QDateEdit *edit : { m_from, m_to }) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    }
    m_from->setObjectName(QStringLiteral("statementFrom"));
    m_to->setObjectName(QStringLiteral("statementTo"));
    // The period cannot end before it starts.
    connect(m_from, &QDateEdit::dateChanged, m_to, &QDateEdit::setMinimumDate);
    m_to->setMinimumDate(m_from->date());

    auto *explanation = new QLabel(
        tr("Every invoice, payment, reversal and credit of these days (UTC), with the balance "
           "before and after them and the aging of what is open at the end."),
        this);
    explanation->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To:"), m_to);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Preview"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QDate StatementPeriodDialog::from() const
{
    return m_from->date();
}

QDate StatementPeriodDialog::to() const
{
    return m_to->date();
}

void StatementPeriodDialog::setPeriod(const QDate &from, const QDate &to)
{
    m_from->setDate(from);
    m_to->setDate(to);
}

} // namespace waybill::app
