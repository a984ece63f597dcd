package dev.gatehouse.auth;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import dev.gatehouse.model.terminal.TokenSigner;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

@AnalyzeClasses(packages = "dev.gatehouse.auth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule neverTouchesDocker = noClasses().should()
		.dependOnClassesThat()
		.resideInAPackage("com.github.dockerjava..");

	@ArchTest
	static final ArchRule neverKnowsTheAdmin = noClasses().should().dependOnClassesThat().resideInAPackage("dev.gatehouse.admin..");

	/** Replicas only read: the pool is read-only too, so PostgreSQL refuses a write that slipped through. */
	@ArchTest
	static final ArchRule neverWritesToTheDatabase = noClasses().should()
		.callMethod(JdbcClient.StatementSpec.class, "update");

	/** Replicas verify tokens with the public key; minting one is the admin's alone. */
	@ArchTest
	static final ArchRule neverMintsTokens = noClasses().should().dependOnClassesThat().areAssignableTo(TokenSigner.class);

	/** The forwardAuth endpoints are reached through Traefik's internal entrypoint only; no web security stack. */
	@ArchTest
	static final ArchRule usesNoSpringSecurity = noClasses().should()
		.dependOnClassesThat()
		.resideInAPackage("org.springframework.security..");

	@ArchTest
	static final ArchRule featurePackagesHaveNoCycles = slices().matching("dev.gatehouse.auth.(*)..").should().beFreeOfCycles();

}
