#include "timerangeedit.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimeZone>

namespace waybill::app {

namespace {
QDateTime wholeSeconds(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QTime t = utc.time();
    return QDateTime(utc.date(), QTime(t.hour(), t.minute(), t.second()), QTimeZone::utc());
}

QDateTimeEdit *utcEdit(const QDateTime &initial, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(parent);
    edit->setTimeSpec(Qt::UTC);
    // ISO order, as in the exported file; the zone is part of the field so nobody reads local time.
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    edit->setCalendarPopup(true);
    edit->setDateTime(initial);
    edit->setEnabled(false);
    return edit;
}
} // namespace

TimeRangeEdit::TimeRangeEdit(QWidget *parent)
    : QWidget(parent)
    , m_fromCheck(new QCheckBox(tr("Fro&m"), this))
    , m_fromEdit(utcEdit(
          QDateTime(QDateTime::currentDateTimeUtc().date(), QTime(0, 0), QTimeZone::utc()), this))
    , m_toCheck(new QCheckBox(tr("&To"), this))
    , m_toEdit(utcEdit(m_fromEdit->dateTime().addDays(1), this))
    , m_error(new QLabel(this))
{
    m_fromCheck->setObjectName(QStringLiteral("fromCheck"));
    m_fromEdit->setObjectName(QStringLiteral("fromEdit"));
    m_toCheck->setObjectName(QStringLiteral("toCheck"));
    m_toEdit->setObjectName(QStringLiteral("toEdit"));
    m_error->setObjectName(QStringLiteral("rangeError"));
    const QString fromTip = tr("Only events recorded at or after this time (UTC)");
    const QString toTip = tr("Only events recorded before this time (UTC); an event at exactly "
                             "this time is not included");
    m_fromCheck->setToolTip(fromTip);
    m_fromEdit->setToolTip(fromTip);
    m_fromEdit->setAccessibleName(tr("Start of the export range, UTC"));
    m_toCheck->setToolTip(toTip);
    m_toEdit->setToolTip(toTip);
    m_toEdit->setAccessibleName(tr("End of the export range, UTC"));
    m_error->setStyleSheet(QStringLiteral("color:#B00020;"));
    m_error->setVisible(false);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_fromCheck);
    layout->addWidget(m_fromEdit);
    layout->addSpacing(12);
    layout->addWidget(m_toCheck);
    layout->addWidget(m_toEdit);
    layout->addSpacing(12);
    layout->addWidget(m_error, 1);

    connect(m_fromCheck, &QCheckBox::toggled, m_fromEdit, &QWidget::setEnabled);
    connect(m_toCheck, &QCheckBox::toggled, m_toEdit, &QWidget::setEnabled);
    connect(m_fromCheck, &QCheckBox::toggled, this, &TimeRangeEdit::onChanged);
    connect(m_toCheck, &QCheckBox::toggled, this, &TimeRangeEdit::onChanged);
    connect(m_fromEdit, &QDateTimeEdit::dateTimeChanged, this, &TimeRangeEdit::onChanged);
    connect(m_toEdit, &QDateTimeEdit::dateTimeChanged, this, &TimeRangeEdit::onChanged);
}

std::optional<QDateTime> TimeRangeEdit::from() const
{
    if (!m_fromCheck->isChecked())
        return std::nullopt;
    return wholeSeconds(m_fromEdit->dateTime());
}

std::optional<QDateTime> TimeRangeEdit::to() const
{
    if (!m_toCheck->isChecked())
        return std::nullopt;
    return wholeSeconds(m_toEdit->dateTime());
}

void TimeRangeEdit::setFrom(const std::optional<QDateTime> &time)
{
    if (time && time->isValid())
        m_fromEdit->setDateTime(wholeSeconds(*time));
    m_fromCheck->setChecked(time && time->isValid());
}

void TimeRangeEdit::setTo(const std::optional<QDateTime> &time)
{
    if (time && time->isValid())
        m_toEdit->setDateTime(wholeSeconds(*time));
    m_toCheck->setChecked(time && time->isValid());
}

bool TimeRangeEdit::isValid() const
{
    const std::optional<QDateTime> start = from();
    const std::optional<QDateTime> end = to();
    return !start || !end || *start <= *end;
}

QString TimeRangeEdit::errorText() const
{
    return isValid() ? QString()
                     : tr("“From” is after “To”: no event can be in this range. Set “From” "
                          "no later than “To”.");
}

void TimeRangeEdit::onChanged()
{
    const QString error = errorText();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    Q_EMIT changed();
}

} // namespace waybill::app
