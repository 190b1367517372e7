#include "addressform.h"

#include "textfieldwidth.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace waybill::app {

QStringList AddressForm::keys()
{
    return { QStringLiteral("name"), QStringLiteral("line1"), QStringLiteral("line2"),
        QStringLiteral("city"), QStringLiteral("state"), QStringLiteral("zip") };
}

AddressForm::AddressForm(const QString &title, const QString &objectName, QWidget *parent)
    : QGroupBox(title, parent)
{
    setObjectName(objectName);
    const QHash<QString, QString> labels {
        { QStringLiteral("name"), tr("Name:") },
        { QStringLiteral("line1"), tr("Street:") },
        { QStringLiteral("line2"), tr("Line 2:") },
        { QStringLiteral("city"), tr("City:") },
        { QStringLiteral("state"), tr("State:") },
        { QStringLiteral("zip"), tr("ZIP code:") },
    };
    const QHash<QString, QString> hints {
        { QStringLiteral("line2"), tr("optional") },
        { QStringLiteral("state"), tr("two letters, e.g. TX") },
        { QStringLiteral("zip"), tr("five digits, e.g. 78701") },
    };
    auto *form = new QFormLayout(this);
    for (const QString &key : keys()) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(key);
        edit->setPlaceholderText(hints.value(key));
        //: Accessible name of an address field: "Ship from: City:"
        edit->setAccessibleName(tr("%1 %2").arg(title, labels.value(key)));
        if (key == QLatin1String("state")) {
            edit->setMaxLength(2);
            connect(edit, &QLineEdit::textEdited, edit, [edit](const QString &text) {
                if (text != text.toUpper())
                    edit->setText(text.toUpper());
            });
        }
        if (key == QLatin1String("zip"))
            edit->setMaxLength(5);
        // Its hint whole, and in the text fields a long street of an office's address book
        // (about thirty characters).
        const bool text = key != QLatin1String("state") && key != QLatin1String("zip");
        keepTextWhole(edit, text ? QStringLiteral("12000 Throckmorton Street West") : QString());
        auto *problem = new QLabel(this);
        problem->setObjectName(key + QStringLiteral("Problem"));
        problem->setStyleSheet(QStringLiteral("color:#B00020;"));
        problem->setVisible(false);
        auto *cell = new QVBoxLayout;
        cell->setSpacing(0);
        cell->addWidget(edit);
        cell->addWidget(problem);
        form->addRow(labels.value(key), cell);
        m_edits.insert(key, edit);
        m_problems.insert(key, problem);
        connect(edit, &QLineEdit::textEdited, this, [this, key] { Q_EMIT edited(key); });
        connect(edit, &QLineEdit::editingFinished, this, [this, key] { Q_EMIT left(key); });
    }
}

QJsonObject AddressForm::toJson() const
{
    QJsonObject json;
    for (const QString &key : keys()) {
        const QString text = m_edits.value(key)->text().trimmed();
        if (key == QLatin1String("line2") && text.isEmpty())
            continue; // optional: absent rather than empty
        json.insert(key, text);
    }
    return json;
}

void AddressForm::setAddress(const Address &address)
{
    const QJsonObject json = address.toJson();
    for (const QString &key : keys())
        m_edits.value(key)->setText(json.value(key).toString());
}

void AddressForm::setProblem(const QString &key, const QString &problem)
{
    QLabel *label = m_problems.value(key);
    if (!label)
        return;
    label->setText(problem);
    label->setVisible(!problem.isEmpty());
    QLineEdit *edit = m_edits.value(key);
    edit->setStyleSheet(
        problem.isEmpty() ? QString() : QStringLiteral("border:1px solid #B00020;"));
    edit->setAccessibleDescription(problem);
}

QString AddressForm::problem(const QString &key) const
{
    const QLabel *label = m_problems.value(key);
    return label && !label->isHidden() ? label->text() : QString();
}

QWidget *AddressForm::firstField() const
{
    return m_edits.value(keys().first());
}

QWidget *AddressForm::lastField() const
{
    return m_edits.value(keys().last());
}

} // namespace waybill::app
