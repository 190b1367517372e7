// Where Waybill's data lives: this computer (the embedded server) or a waybill-server on the
// network, with its address and access token. Remembered for next time.
#pragma once

#include "session/remoteconnection.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace waybill::app {

class ApiClient;

class ConnectionDialog final : public QDialog
{
    Q_OBJECT
public:
    ConnectionDialog(
        const RemoteConnection &remembered, bool usingRemote, QWidget *parent = nullptr);

    bool useRemote() const;
    // The connection as filled in (meaningful when useRemote()).
    RemoteConnection connection() const;
    QLineEdit *urlField() const { return m_url; }
    QLineEdit *tokenField() const { return m_token; }
    QRadioButton *localChoice() const { return m_local; }
    QRadioButton *remoteChoice() const { return m_remote; }
    QString statusText() const;

    // Asks the server who the token belongs to, and says so (or what is wrong).
    void testConnection();

private:
    void updateEnabled();
    // A typed address without a scheme ("server:8080") is taken as http.
    QUrl typedUrl() const;
    void tryAccept();

    QRadioButton *m_local;
    QRadioButton *m_remote;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QCheckBox *m_atStart;
    QPushButton *m_test;
    QLabel *m_status;
    ApiClient *m_probe = nullptr;
};

} // namespace waybill::app
