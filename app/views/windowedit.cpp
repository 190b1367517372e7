#include "windowedit.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace waybill::app {

namespace {

QDateTimeEdit *timeEdit(QWidget *parent, const QString &name)
{
    auto *edit = new QDateTimeEdit(parent);
    edit->setObjectName(name);
    edit->setCalendarPopup(true);
    // The weekday helps to see "tomorrow" at a glance; minutes are as fine as a window gets.
    edit->setDisplayFormat(QStringLiteral("ddd yyyy-MM-dd HH:mm"));
    // The edit holds the wall-clock time of the window's zone as if it were UTC, so that it
    // converts nothing (Qt 6.4's editor knows no other zone than the computer's).
    edit->setTimeSpec(Qt::UTC);
    return edit;
}

// A time as a wall clock in zone shows it, for the edit.
QDateTime wallClock(const QDateTime &time, const QTimeZone &zone)
{
    const QDateTime there = time.toTimeZone(zone);
    return QDateTime(there.date(), there.time(), QTimeZone::utc());
}

// The edit's wall clock, read in zone, to whole minutes, in UTC.
QDateTime fromWallClock(const QDateTime &wall, const QTimeZone &zone)
{
    const QTime t = wall.time();
    return QDateTime(wall.date(), QTime(t.hour(), t.minute()), zone).toUTC();
}

} // namespace

WindowEdit::WindowEdit(const QString &label, const QString &objectName, QWidget *parent)
    : QWidget(parent)
    , m_zone(QTimeZone::systemTimeZone())
    , m_check(new QCheckBox(label, this))
    , m_from(timeEdit(this, objectName + QStringLiteral("From")))
    , m_to(timeEdit(this, objectName + QStringLiteral("To")))
    , m_problem(new QLabel(this))
{
    setObjectName(objectName);
    m_check->setObjectName(objectName + QStringLiteral("Check"));
    m_check->setChecked(true);
    m_from->setAccessibleName(tr("%1: from").arg(QString(label).remove(QLatin1Char('&'))));
    m_to->setAccessibleName(tr("%1: to").arg(QString(label).remove(QLatin1Char('&'))));
    m_to->setToolTip(tr("The end is part of the window: a shipment is late only after it."));
    m_problem->setObjectName(objectName + QStringLiteral("Problem"));
    m_problem->setStyleSheet(QStringLiteral("color:#B00020;"));
    m_problem->setWordWrap(true);
    m_problem->setVisible(false);
    setTimeZone(m_zone);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_check);
    row->addWidget(m_from);
    row->addWidget(new QLabel(tr("to"), this));
    row->addWidget(m_to);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(row);
    layout->addWidget(m_problem);

    connect(m_check, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_check, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    connect(m_check, &QCheckBox::toggled, this, &WindowEdit::onChanged);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &WindowEdit::onChanged);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &WindowEdit::onChanged);
}

void WindowEdit::setTimeZone(const QTimeZone &zone)
{
    const bool checked = m_check->isChecked();
    const TimeWindow kept { fromWallClock(m_from->dateTime(), m_zone),
        fromWallClock(m_to->dateTime(), m_zone) };
    m_zone = zone;
    setWindow(kept);
    m_check->setChecked(checked);
}

std::optional<TimeWindow> WindowEdit::window() const
{
    if (!m_check->isChecked())
        return std::nullopt;
    return TimeWindow { fromWallClock(m_from->dateTime(), m_zone),
        fromWallClock(m_to->dateTime(), m_zone) };
}

void WindowEdit::setWindow(const std::optional<TimeWindow> &window)
{
    m_check->setChecked(window.has_value());
    if (window) {
        m_from->setDateTime(wallClock(window->from, m_zone));
        m_to->setDateTime(wallClock(window->to, m_zone));
    }
    onChanged();
}

TimeWindow WindowEdit::defaultPickup(const QDateTime &now, const QTimeZone &zone)
{
    const QDate tomorrow = now.toTimeZone(zone).date().addDays(1);
    return { QDateTime(tomorrow, QTime(8, 0), zone).toUTC(),
        QDateTime(tomorrow, QTime(12, 0), zone).toUTC() };
}

TimeWindow WindowEdit::defaultDelivery(const QDateTime &now, const QTimeZone &zone)
{
    const QDate tomorrow = now.toTimeZone(zone).date().addDays(1);
    return { QDateTime(tomorrow, QTime(8, 0), zone).toUTC(),
        QDateTime(tomorrow.addDays(1), QTime(23, 59), zone).toUTC() };
}

void WindowEdit::setProblem(const QString &problem)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

QString WindowEdit::problem() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void WindowEdit::onChanged()
{
    const std::optional<TimeWindow> w = window();
    setProblem(w && w->to < w->from ? tr("The window ends before it starts.") : QString());
    Q_EMIT changed();
}

} // namespace waybill::app
