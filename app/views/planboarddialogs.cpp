#include "planboarddialogs.h"

#include "domain/weight.h"
#include "models/planboardmodel.h"
#include "planboard.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace waybill::app {

PlanTruckDialog::PlanTruckDialog(const PlanBoardModel *model, const QString &title,
    const QString &explanation, const QString &excludedTruck, QWidget *parent)
    : QDialog(parent)
    , m_trucks(new QComboBox(this))
{
    setObjectName(QStringLiteral("planTruckDialog"));
    setWindowTitle(title);
    auto *text = new QLabel(explanation, this);
    text->setWordWrap(true);
    m_trucks->setObjectName(QStringLiteral("truck"));
    const QLocale locale;
    // In service first; a truck out of service is still listed, so the refusal can be seen.
    for (const bool inService : { true, false }) {
        for (const PlanTruck &truck : model->trucks()) {
            if (truck.inService() != inService || truck.id() == excludedTruck)
                continue;
            const TruckState &s = truck.truck.state;
            QString label = s.name.isEmpty() ? s.id : tr("%1 (%2)").arg(s.id, s.name);
            const QString load
                = QLocale().toString(qRound64(hundredthsToPounds(truck.loadHundredths)));
            label += s.capacityPounds
                ? tr(": %1 of %2 lb").arg(load, locale.toString(*s.capacityPounds))
                : tr(": %1 lb").arg(load);
            if (!inService)
                label += tr(" (out of service)");
            m_trucks->addItem(label, s.id);
        }
    }
    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&Truck:"), this);
    label->setBuddy(m_trucks);
    form->addRow(label, m_trucks);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Move"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(m_trucks->count() > 0);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString PlanTruckDialog::truckId() const
{
    return m_trucks->currentData().toString();
}

void PlanTruckDialog::setTruckId(const QString &truckId)
{
    m_trucks->setCurrentIndex(std::max(0, m_trucks->findData(truckId)));
}

PlanRescheduleDialog::PlanRescheduleDialog(int loads, QWidget *parent)
    : QDialog(parent)
    , m_hours(new QSpinBox(this))
    , m_reason(new QLineEdit(this))
{
    setObjectName(QStringLiteral("planRescheduleDialog"));
    setWindowTitle(tr("Reschedule"));
    auto *text = new QLabel(
        tr("Moves the pickup and delivery windows of %n load(s) by the same time. A load on "
           "the road keeps its pickup window: only its delivery window moves.",
            nullptr, loads),
        this);
    text->setWordWrap(true);
    m_hours->setObjectName(QStringLiteral("hours"));
    m_hours->setRange(-168, 168);
    m_hours->setValue(24);
    m_hours->setSuffix(tr(" h"));
    m_hours->setToolTip(tr("Negative: earlier"));
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("e.g. The customer asked for Thursday (optional)"));
    auto *form = new QFormLayout;
    auto *hoursLabel = new QLabel(tr("&Move by:"), this);
    hoursLabel->setBuddy(m_hours);
    auto *reasonLabel = new QLabel(tr("&Reason:"), this);
    reasonLabel->setBuddy(m_reason);
    form->addRow(hoursLabel, m_hours);
    form->addRow(reasonLabel, m_reason);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Reschedule"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

qint64 PlanRescheduleDialog::shiftMs() const
{
    return qint64(m_hours->value()) * 3600 * 1000;
}

PlanSummaryDialog::PlanSummaryDialog(const PlanBatchOutcome &outcome, QWidget *parent)
    : QDialog(parent)
    , m_headline(new QLabel(this))
    , m_succeeded(new QListWidget(this))
    , m_refused(new QListWidget(this))
{
    setObjectName(QStringLiteral("planSummary"));
    setWindowTitle(outcome.title);
    m_headline->setObjectName(QStringLiteral("headline"));
    m_headline->setWordWrap(true);
    m_headline->setText(tr("%1: %2 done, %3 refused.")
                            .arg(outcome.title)
                            .arg(outcome.succeeded.size())
                            .arg(outcome.refused.size()));
    m_succeeded->setObjectName(QStringLiteral("succeededList"));
    m_refused->setObjectName(QStringLiteral("refusedList"));
    m_succeeded->addItems(outcome.succeeded);
    m_refused->addItems(outcome.refused);
    m_refused->setWordWrap(true);
    auto *doneLabel = new QLabel(tr("&Done (%1):").arg(outcome.succeeded.size()), this);
    doneLabel->setBuddy(m_succeeded);
    auto *refusedLabel
        = new QLabel(tr("&Refused, and why (%1):").arg(outcome.refused.size()), this);
    refusedLabel->setBuddy(m_refused);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(doneLabel);
    layout->addWidget(m_succeeded, 1);
    layout->addWidget(refusedLabel);
    layout->addWidget(m_refused, 2);
    layout->addWidget(buttons);
    resize(560, 420);
}

QString PlanSummaryDialog::headline() const
{
    return m_headline->text();
}

} // namespace waybill::app
