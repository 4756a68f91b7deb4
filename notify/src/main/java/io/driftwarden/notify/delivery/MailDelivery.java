package io.driftwarden.notify.delivery;

import io.driftwarden.config.NotificationTarget;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Sends an e-mail through SMTP with Jakarta Mail (Eclipse Angus): {@code multipart/alternative}, plain text first and
 * HTML second. With {@code startTLS} (the default) the connection must be upgraded by STARTTLS and the server's
 * certificate and host name check out before anything is sent ({@code mail.smtp.starttls.required}); a server that does
 * not offer it gets nothing. Connecting, each read and each write are bounded by what is left of the deadline; a
 * connection error or a 4xx reply is tried again as {@link Retry} says; a 5xx reply, a refused login or a certificate
 * that is not trusted is not.
 */
public final class MailDelivery {

    private MailDelivery() {
    }

    /**
     * The message to send, the login ({@code username} and {@code password} null: none) and the TLS sockets for
     * STARTTLS ({@code tls} null: the JVM's trusted CAs; see {@link #trusting}).
     */
    public record Mail(String subject, String plain, String html, String username, String password, javax.net.ssl.SSLSocketFactory tls) {
    }

    public static Result send(NotificationTarget.Email smtp, Mail mail, Deadline deadline) {
        int attempt = 0;
        String failure = "no time left";
        while (!deadline.passed()) {
            attempt++;
            int code = 0;
            try {
                Session session = Session.getInstance(properties(smtp, deadline.remaining(), mail.tls()));
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress(smtp.from(), true));
                for (String to : smtp.to()) {
                    message.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
                }
                message.setSubject(mail.subject(), "UTF-8");
                message.setSentDate(new Date());
                MimeMultipart alternatives = new MimeMultipart("alternative");
                MimeBodyPart plain = new MimeBodyPart();
                plain.setText(mail.plain(), "UTF-8", "plain");
                MimeBodyPart html = new MimeBodyPart();
                html.setText(mail.html(), "UTF-8", "html");
                alternatives.addBodyPart(plain);
                alternatives.addBodyPart(html);
                message.setContent(alternatives);
                if (mail.username() != null) {
                    Transport.send(message, mail.username(), mail.password());
                } else {
                    Transport.send(message);
                }
                return Result.delivered(attempt, 0);
            } catch (AuthenticationFailedException e) {
                return Result.failed(attempt, 0, "SMTP login refused (" + e.getClass().getSimpleName() + ")");
            } catch (MessagingException e) {
                code = replyCode(e);
                failure = code > 0 ? "SMTP " + code + " (" + e.getClass().getSimpleName() + ")" : e.getClass().getSimpleName()
                        + causeClass(e);
                boolean retryable = code >= 400 && code < 500 || code == 0 && hasIoCause(e);
                if (!retryable) {
                    return Result.failed(attempt, 0, failure);
                }
            }
            Duration wait = Retry.nextWait(attempt, deadline.remaining(), null);
            if (wait == null) {
                break;
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Result.failed(attempt, 0, failure);
    }

    static Properties properties(NotificationTarget.Email smtp, Duration remaining, javax.net.ssl.SSLSocketFactory tls) {
        String millis = String.valueOf(Math.max(1, remaining.toMillis()));
        Properties props = new Properties();
        props.put("mail.transport.protocol", "smtp");
        props.put("mail.smtp.host", smtp.host());
        props.put("mail.smtp.port", String.valueOf(smtp.port()));
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        props.put("mail.smtp.auth", String.valueOf(smtp.username() != null || smtp.usernameFrom() != null));
        if (smtp.startTls()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            props.put("mail.smtp.ssl.checkserveridentity", "true");
            if (tls != null) {
                props.put("mail.smtp.ssl.socketFactory", tls);
            }
        }
        return props;
    }

    /** TLS sockets that trust only the certificates in {@code caFile} (PEM) for the server's certificate chain. */
    public static javax.net.ssl.SSLSocketFactory trusting(java.nio.file.Path caFile) {
        try (java.io.InputStream pem = java.nio.file.Files.newInputStream(caFile)) {
            java.security.KeyStore trusted = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (java.security.cert.Certificate certificate : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(pem)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalStateException("smtp.caFile " + caFile + " holds no PEM certificate");
            }
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("smtp.caFile " + caFile + " cannot be read as PEM certificates (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** The SMTP reply code an exception (or one it wraps or chains) carries, else 0. */
    private static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException()
                : t.getCause()) {
            int code = t instanceof SMTPSendFailedException f ? f.getReturnCode()
                    : t instanceof SMTPAddressFailedException f ? f.getReturnCode()
                    : t instanceof SMTPSenderFailedException f ? f.getReturnCode() : 0;
            if (code > 0) {
                return code;
            }
        }
        return 0;
    }

    /** A connection or I/O error, worth another attempt; a TLS handshake refused (an untrusted certificate) is not. */
    private static boolean hasIoCause(Throwable e) {
        boolean io = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return false;
            }
            io |= t instanceof IOException;
        }
        return io;
    }

    private static String causeClass(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "" : " (" + root.getClass().getSimpleName() + ")";
    }
}
