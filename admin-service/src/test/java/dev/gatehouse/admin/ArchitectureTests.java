package dev.gatehouse.admin;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

@AnalyzeClasses(packages = "dev.gatehouse.admin", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule neverKnowsTheAuthService = noClasses().should().dependOnClassesThat().resideInAPackage("dev.gatehouse.auth..");

	/** Services and repositories fail with {@code AdminFailure}; only the web layer knows HTTP statuses. */
	@ArchTest
	static final ArchRule servicesAndRepositoriesKnowNoHttp = noClasses().that()
		.haveSimpleNameEndingWith("Service")
		.or()
		.haveSimpleNameEndingWith("Repository")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework.http..", "org.springframework.web..");

	@ArchTest
	static final ArchRule featurePackagesHaveNoCycles = slices().matching("dev.gatehouse.admin.(*)..").should().beFreeOfCycles();

}
