#include "notificationbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
constexpr int kMaxShown = 4;
constexpr int kFadeAfterMs = 10000;
const char *const kTextProperty = "notificationText";

QString styleFor(NotificationBar::Kind kind)
{
    switch (kind) {
    case NotificationBar::Kind::Success:
        return QStringLiteral("background:#E3F4E1;border:1px solid #7CB878;");
    case NotificationBar::Kind::Warning:
        return QStringLiteral("background:#FFF4D6;border:1px solid #E0B84A;");
    case NotificationBar::Kind::Error:
        return QStringLiteral("background:#FBE3E4;border:1px solid #D16A70;");
    case NotificationBar::Kind::Info:
        break;
    }
    return QStringLiteral("background:#E6F0FB;border:1px solid #7FA7D9;");
}
} // namespace

NotificationBar::NotificationBar(QWidget *parent)
    : QFrame(parent)
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("notifications"));
    setAccessibleName(tr("Notifications"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    setVisible(false);
}

void NotificationBar::notify(Kind kind, const QString &text)
{
    // The same message again (a server that stays down fails every request) is not repeated.
    if (messages().contains(text))
        return;
    auto *row = new QFrame(this);
    row->setObjectName(QStringLiteral("notification"));
    row->setProperty(kTextProperty, text);
    row->setStyleSheet(
        QStringLiteral("QFrame#notification{%1border-radius:3px;}").arg(styleFor(kind)));
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(8, 4, 4, 4);
    auto *label = new QLabel(text, row);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAccessibleName(text);
    layout->addWidget(label, 1);
    auto *close = new QToolButton(row);
    close->setText(QStringLiteral("×"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close this message"));
    close->setAccessibleName(tr("Close this message"));
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, [this, row] { remove(row); });
    m_layout->addWidget(row);
    while (m_layout->count() > kMaxShown)
        remove(m_layout->itemAt(0)->widget());
    if (kind == Kind::Info || kind == Kind::Success) {
        QPointer<QFrame> guard(row);
        QTimer::singleShot(kFadeAfterMs, this, [this, guard] {
            if (guard)
                remove(guard);
        });
    }
    setVisible(true);
}

QStringList NotificationBar::messages() const
{
    QStringList texts;
    for (int i = 0; i < m_layout->count(); ++i) {
        if (QWidget *row = m_layout->itemAt(i)->widget())
            texts.append(row->property(kTextProperty).toString());
    }
    return texts;
}

void NotificationBar::clear()
{
    while (m_layout->count() > 0)
        remove(m_layout->itemAt(0)->widget());
}

void NotificationBar::remove(QWidget *row)
{
    if (!row)
        return;
    m_layout->removeWidget(row);
    row->deleteLater();
    setVisible(m_layout->count() > 0);
}

} // namespace waybill::app
