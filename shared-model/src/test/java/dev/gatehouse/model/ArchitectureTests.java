package dev.gatehouse.model;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "dev.gatehouse.model", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule sharedModelHasNoSpring = noClasses().should()
		.dependOnClassesThat()
		.resideInAPackage("org.springframework..");

	@ArchTest
	static final ArchRule sharedModelKnowsNeitherService = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.gatehouse.auth..", "dev.gatehouse.admin..");

}
