package io.driftwarden.jobs.support;

/** Small manifests for tests. */
public final class Manifests {

    private Manifests() {
    }

    public static String namespace(String name) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                """.formatted(name);
    }

    public static String configMap(String name, String key, String value) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                data:
                  %s: "%s"
                """.formatted(name, key, value);
    }

    public static String deployment(String name, int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels:
                    app: %1$s
                spec:
                  replicas: %2$d
                  selector:
                    matchLabels:
                      app: %1$s
                  template:
                    metadata:
                      labels:
                        app: %1$s
                    spec:
                      containers:
                      - name: web
                        image: %3$s
                        ports:
                        - containerPort: 8080
                        resources:
                          limits:
                            cpu: 500m
                            memory: 128Mi
                """.formatted(name, replicas, image);
    }

    public static String service(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                spec:
                  selector:
                    app: %1$s
                  ports:
                  - port: 80
                    targetPort: 8080
                """.formatted(name);
    }

    public static String secret(String name, String key, String plainValue) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                type: Opaque
                stringData:
                  %s: "%s"
                """.formatted(name, key, plainValue);
    }
}
