// File > Move this computer's data to a server…: copies the embedded server's history into the
// empty PostgreSQL database of a waybill-server (the same copy as `waybill-server copy`), with a
// progress bar, and then offers to connect to that server (docs/desktop.md).
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace waybill::app {

class DataMover;

class MoveDataDialog final : public QDialog
{
    Q_OBJECT
public:
    // sourceFile: this computer's SQLite database.
    MoveDataDialog(const QString &sourceFile, QWidget *parent = nullptr);
    ~MoveDataDialog() override;
    Q_DISABLE_COPY_MOVE(MoveDataDialog)

    QLineEdit *addressField() const { return m_address; }
    QLineEdit *passwordField() const { return m_password; }
    QPushButton *moveButton() const { return m_move; }
    QPushButton *connectButton() const { return m_connect; }
    QProgressBar *progressBar() const { return m_progress; }
    QString statusText() const;
    // The address as typed, with the password put in (what the copy is given).
    QString targetUrl() const;

    // What the Move button does.
    void startMove();

Q_SIGNALS:
    // The move ended; ok when the copy is verified at the server's database.
    void moveFinished(bool ok);
    // After a move: the user wants to work on the server now.
    void connectToServerRequested();

protected:
    void reject() override; // not while a copy runs

private:
    void onFinished(bool ok, bool refused, const QString &message);

    QString m_sourceFile;
    QLineEdit *m_address;
    QLineEdit *m_password;
    QProgressBar *m_progress;
    QLabel *m_stage;
    QLabel *m_status;
    QPushButton *m_move;
    QPushButton *m_connect;
    QPushButton *m_close;
    DataMover *m_mover;
};

} // namespace waybill::app
