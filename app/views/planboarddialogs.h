// The planboard's small forms: the truck to put loads on, how far to move their windows, and the
// summary of a batch of commands (what was done, what was refused and why).
#pragma once

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace waybill::app {

class PlanBoardModel;
struct PlanBatchOutcome;

// Picks a truck: those in service first, each with its load against its capacity.
class PlanTruckDialog final : public QDialog
{
    Q_OBJECT
public:
    PlanTruckDialog(const PlanBoardModel *model, const QString &title, const QString &explanation,
        const QString &excludedTruck, QWidget *parent = nullptr);

    QComboBox *trucks() const { return m_trucks; }
    QString truckId() const;
    void setTruckId(const QString &truckId);

private:
    QComboBox *m_trucks;
};

// Moves the windows of the loads by the same amount (earlier or later), with a reason.
class PlanRescheduleDialog final : public QDialog
{
    Q_OBJECT
public:
    PlanRescheduleDialog(int loads, QWidget *parent = nullptr);

    QSpinBox *hours() const { return m_hours; }
    QLineEdit *reason() const { return m_reason; }
    qint64 shiftMs() const;

private:
    QSpinBox *m_hours;
    QLineEdit *m_reason;
};

// What a batch came to, load by load.
class PlanSummaryDialog final : public QDialog
{
    Q_OBJECT
public:
    PlanSummaryDialog(const PlanBatchOutcome &outcome, QWidget *parent = nullptr);

    QListWidget *refused() const { return m_refused; }
    QListWidget *succeeded() const { return m_succeeded; }
    QString headline() const;

private:
    QLabel *m_headline;
    QListWidget *m_succeeded;
    QListWidget *m_refused;
};

} // namespace waybill::app
