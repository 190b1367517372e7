#include "connectiondialog.h"

#include "client/apiclient.h"
#include "session/identity.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace waybill::app {

ConnectionDialog::ConnectionDialog(
    const RemoteConnection &remembered, bool usingRemote, QWidget *parent)
    : QDialog(parent)
    , m_local(
          new QRadioButton(tr("This &computer (Waybill keeps the data in your user folder)"), this))
    , m_remote(new QRadioButton(tr("A Waybill &server on the network"), this))
    , m_url(new QLineEdit(remembered.serverUrl.toString(), this))
    , m_token(new QLineEdit(remembered.token, this))
    , m_atStart(new QCheckBox(tr("Connect to this server when Waybill &starts"), this))
    , m_test(new QPushButton(tr("&Test connection"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionDialog"));
    setWindowTitle(tr("Connect"));
    m_local->setObjectName(QStringLiteral("local"));
    m_remote->setObjectName(QStringLiteral("remote"));
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(tr("e.g. https://waybill.example.com:8080"));
    m_url->setAccessibleName(tr("Server address"));
    m_token->setObjectName(QStringLiteral("token"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Access token"));
    m_token->setPlaceholderText(tr("Given to you by your administrator"));
    m_atStart->setChecked(remembered.connectAtStart);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    (usingRemote ? m_remote : m_local)->setChecked(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Server &address:"), m_url);
    form->addRow(tr("Access &token:"), m_token);
    form->addRow(QString(), m_atStart);
    form->addRow(QString(), m_test);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("C&onnect"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_local);
    layout->addWidget(m_remote);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_local, &QRadioButton::toggled, this, &ConnectionDialog::updateEnabled);
    connect(m_test, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::tryAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateEnabled();
}

bool ConnectionDialog::useRemote() const
{
    return m_remote->isChecked();
}

QUrl ConnectionDialog::typedUrl() const
{
    const QString text = m_url->text().trimmed();
    return QUrl::fromUserInput(
        text.contains(QLatin1String("://")) ? text : QStringLiteral("http://") + text);
}

RemoteConnection ConnectionDialog::connection() const
{
    return { typedUrl(), m_token->text().trimmed(), m_atStart->isChecked() };
}

QString ConnectionDialog::statusText() const
{
    return m_status->text();
}

void ConnectionDialog::updateEnabled()
{
    const bool remote = m_remote->isChecked();
    for (QWidget *w : std::initializer_list<QWidget *> { m_url, m_token, m_atStart, m_test })
        w->setEnabled(remote);
}

void ConnectionDialog::tryAccept()
{
    if (useRemote() && !connection().isComplete()) {
        m_status->setText(tr("Enter the server's address and your access token."));
        return;
    }
    accept();
}

void ConnectionDialog::testConnection()
{
    const RemoteConnection c = connection();
    if (!c.isComplete()) {
        m_status->setText(tr("Enter the server's address and your access token."));
        return;
    }
    delete m_probe;
    m_probe = new ApiClient(c.serverUrl, c.token, this);
    m_status->setText(tr("Connecting…"));
    m_probe->get(QStringLiteral("/me"), {}, this, [this](const ApiResult &answer) {
        if (answer.ok()) {
            const Identity who = Identity::fromJson(answer.object());
            m_status->setText(
                tr("Connected as %1 (%2).").arg(who.name(), Identity::roleDisplayName(who.role())));
        } else if (answer.httpStatus == 404) {
            m_status->setText(tr("Connected; the server accepted the token."));
        } else {
            m_status->setText(answer.errorText);
        }
    });
}

} // namespace waybill::app
