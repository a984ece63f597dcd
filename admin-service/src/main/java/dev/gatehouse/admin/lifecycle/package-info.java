/**
 * App lifecycle: start apps on access, stop idle ones, through a container runtime.
 */
package dev.gatehouse.admin.lifecycle;
