// Messages for the user at the top of the window: what succeeded, what was refused and why.
// Errors stay until closed; good news fades after a while. Never modal.
#pragma once

#include <QFrame>
#include <QStringList>

class QVBoxLayout;

namespace waybill::app {

class NotificationBar final : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Info, Success, Warning, Error };

    explicit NotificationBar(QWidget *parent = nullptr);

    void notify(Kind kind, const QString &text);
    // The messages shown now, newest last.
    QStringList messages() const;
    void clear();

private:
    void remove(QWidget *row);

    QVBoxLayout *m_layout;
};

} // namespace waybill::app
