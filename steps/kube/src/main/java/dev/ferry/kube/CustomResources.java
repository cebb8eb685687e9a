package dev.ferry.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The namespaced custom resources Ferry reads through fabric8's generic client (KEDA, Tekton, Argo). */
final class CustomResources {

    private CustomResources() {}

    static ResourceDefinitionContext namespaced(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
