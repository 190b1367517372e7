#include "commanddialog.h"

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/money.h"
#include "presentation/moneytext.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
bool isMoney(const QString &key)
{
    return key == QLatin1String("amount");
}

bool isWholeNumber(const QString &key)
{
    return key == QLatin1String("capacityPounds");
}
} // namespace

CommandDialog::CommandDialog(Session *session, CommandDialogSpec spec, QWidget *parent)
    : CommandForm(session, spec.expectedVersion, parent)
    , m_spec(std::move(spec))
{
    setObjectName(QStringLiteral("commandDialog-%1")
                      .arg(m_spec.fields.isEmpty() ? commandTypeName(m_spec.type)
                                                   : m_spec.fields.first().key));
    setWindowTitle(m_spec.title);
    setMinimumWidth(420);
    auto *layout = new QVBoxLayout(this);
    if (!m_spec.explanation.isEmpty()) {
        auto *explanation = new QLabel(m_spec.explanation, this);
        explanation->setObjectName(QStringLiteral("explanation"));
        explanation->setWordWrap(true);
        layout->addWidget(explanation);
    }
    auto *form = new QFormLayout;
    for (const CommandField &f : std::as_const(m_spec.fields)) {
        QLineEdit *edit = nullptr;
        if (!f.suggestions.isEmpty()) {
            auto *combo = new QComboBox(this);
            combo->setEditable(true);
            combo->addItems(f.suggestions);
            combo->setCurrentIndex(-1);
            combo->setAccessibleName(f.label);
            edit = combo->lineEdit();
            form->addRow(f.label, combo);
        } else {
            edit = new QLineEdit(this);
            form->addRow(f.label, edit);
        }
        edit->setObjectName(m_first ? f.key : QStringLiteral("field"));
        edit->setProperty("fieldKey", f.key);
        edit->setAccessibleName(f.label);
        edit->setPlaceholderText(f.placeholder);
        edit->setText(f.initialText);
        connect(edit, &QLineEdit::textEdited, this, [this] { hideProblem(); });
        m_edits.insert(f.key, edit);
        if (!m_first)
            m_first = edit;
    }
    layout->addLayout(form);
    addFooter(layout, m_spec.submitText);
}

QLineEdit *CommandDialog::field(const QString &key) const
{
    return key.isEmpty() ? m_first : m_edits.value(key);
}

QWidget *CommandDialog::fieldFor(const QString &key) const
{
    return field(key);
}

QString CommandDialog::problemWith(const QString &key) const
{
    if (key == QLatin1String("truckId"))
        return tr("A truck id is 1 to 64 letters, digits, '-', '_' or '.'.");
    if (key == QLatin1String("id"))
        return tr("An id is 1 to 64 letters, digits, '-', '_' or '.'.");
    if (key == QLatin1String("shipmentId"))
        return tr("A shipment id is 1 to 64 letters, digits, '-', '_' or '.'.");
    if (key == QLatin1String("reason")) {
        const QLineEdit *edit = m_edits.value(key);
        return edit && edit->text().trimmed().isEmpty() ? tr("Say why.")
                                                        : tr("The reason is too long.");
    }
    if (key == QLatin1String("signedBy") || key == QLatin1String("name"))
        return tr("The name is too long.");
    if (isMoney(key))
        return tr("Enter an amount greater than 0 with at most two decimals, e.g. 120.50.");
    if (isWholeNumber(key))
        return tr("Enter a whole number of pounds from 1 to 80,000.");
    return {};
}

std::optional<QJsonObject> CommandDialog::body(QString *problem, QString *problemKey) const
{
    QJsonObject body = m_spec.fixedBody;
    for (const CommandField &f : m_spec.fields) {
        const QString text = m_edits.value(f.key)->text().trimmed();
        if (text.isEmpty() && (f.optional || f.key == QLatin1String("signedBy")))
            continue;
        if (f.key == QLatin1String("id")) {
            // The id of what a command creates (a truck to register) is in the path.
            if (!isValidId(text)) {
                *problemKey = f.key;
                *problem = problemWith(f.key);
                return std::nullopt;
            }
        } else if (isMoney(f.key)) {
            const std::optional<Cents> cents = MoneyText::parse(text);
            if (!cents) {
                *problemKey = f.key;
                *problem = problemWith(f.key);
                return std::nullopt;
            }
            body.insert(f.key, centsToDollarsJson(*cents));
        } else if (isWholeNumber(f.key)) {
            bool ok = false;
            const int number = QLocale().toInt(text, &ok);
            if (!ok) {
                *problemKey = f.key;
                *problem = problemWith(f.key);
                return std::nullopt;
            }
            body.insert(f.key, number);
        } else {
            body.insert(f.key, text);
        }
    }
    // The server's own rules, from the same code, so the form never disagrees with it.
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(m_spec.type, body, &data);
    if (!errors.isEmpty()) {
        *problemKey
            = errors.first().path.isEmpty() ? QString() : errors.first().path.first().toString();
        *problem = problemWith(*problemKey);
        if (problem->isEmpty())
            *problem = errors.first().message;
        return std::nullopt;
    }
    return body;
}

void CommandDialog::submit()
{
    QString problem;
    QString problemKey;
    const std::optional<QJsonObject> payload = body(&problem, &problemKey);
    if (!payload) {
        showProblem(problem, problemKey);
        return;
    }
    if (QLineEdit *id = m_edits.value(QStringLiteral("id")))
        m_spec.entityId = id->text().trimmed();
    send({ m_spec.type, m_spec.entityId, *payload, expectedVersion() });
}

} // namespace waybill::app
